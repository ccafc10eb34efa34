"""On PostgreSQL, a GIN index over the row values (jsonb_path_ops) so equality filters — written
as containment, ``data @> '{"field": value}'`` — use an index on resources of any shape."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS data_row_values ON data_datarow "
            "USING gin (data jsonb_path_ops)"
        )


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS data_row_values")


class Migration(migrations.Migration):
    dependencies = [("data", "0002_rows_sharing_quality_flowback")]

    operations = [migrations.RunPython(create, drop)]
