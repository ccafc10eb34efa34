"""The chain screens, under /work/chains/ ("workbench:chains:<name>")."""

from django.urls import path

from kuaiji.fronts.workbench.chains import (
    views_instances,
    views_models,
    views_supervision,
    views_tasks,
)

app_name = "chains"
urlpatterns = [
    path("", views_tasks.worklist, name="worklist"),
    path("tasks/<int:task_id>/", views_tasks.task_detail, name="task"),
    path("tasks/<int:task_id>/claim/", views_tasks.claim, name="claim"),
    path("tasks/<int:task_id>/complete/", views_tasks.complete, name="complete"),
    path("tasks/<int:task_id>/return/", views_tasks.return_to, name="return"),
    path("tasks/<int:task_id>/transfer/", views_tasks.transfer, name="transfer"),
    path("tasks/<int:task_id>/co-handlers/", views_tasks.add_co_handler, name="co_handler"),
    path("tasks/<int:task_id>/opinions/", views_tasks.add_opinion, name="opinion"),
    path("tasks/<int:task_id>/urge/", views_tasks.urge, name="urge"),
    path("start/", views_instances.start, name="start"),
    path("instances/<int:instance_id>/", views_instances.instance_detail, name="instance"),
    path("instances/<int:instance_id>/suspend/", views_instances.suspend, name="suspend"),
    path("instances/<int:instance_id>/resume/", views_instances.resume, name="resume"),
    path("instances/<int:instance_id>/withdraw/", views_instances.withdraw, name="withdraw"),
    path("attachments/<int:attachment_id>/", views_instances.attachment, name="attachment"),
    path("models/", views_models.model_list, name="models"),
    path("model-upload/", views_models.upload, name="upload"),
    path("models/<slug:key>/", views_models.model_detail, name="model"),
    path("models/<slug:key>/<int:number>.bpmn", views_models.model_source, name="model_source"),
    path("supervision/", views_supervision.supervision, name="supervision"),
]
