"""The data resource catalog on the work front: the list with its filters, a resource's page
with its schema, and registering or describing anew a resource of one's department, under
/work/data/ ("workbench:data_catalog:<name>")."""
