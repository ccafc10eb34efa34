"""Event execution chains (事件执行链) in the work front: worklists, tasks, instances and their
timelines, chain models with their diagrams, and supervision."""
