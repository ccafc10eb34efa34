"""Grid events (网格事件) in the work front: the grid worker's report form (with a draft kept on
the phone while offline), the events of one's scope with the manual triage queue, and an
event's page with its photos, map and chain."""
