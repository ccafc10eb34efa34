"""The data quality screens: the department ranking and a resource's quality."""
