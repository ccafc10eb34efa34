"""The staff side of one-stop services on the work front: the acceptance desk, an application's
page with its actions, the departments' worklist and the supervision of promised dates."""
