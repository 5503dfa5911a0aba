"""The chain's SECURITY DEFINER functions get a search path no serving role can shadow.

Migration 0003 fixed their search path ``FROM CURRENT``, which leaves ``pg_temp`` implicitly
first for tables: a serving role may create temporary tables (PUBLIC holds TEMPORARY on the
database), and a ``pg_temp.audit_chain`` would have received the links meant for the owner's
table. The schema the migrations run in, then ``pg_temp`` last, as PostgreSQL's documentation
advises for SECURITY DEFINER functions.
"""

from django.db import migrations

FUNCTIONS = ("audit_queue_link()", "audit_link_pending()")

SQL = "".join(
    f"DO $$ BEGIN EXECUTE format('ALTER FUNCTION {f} SET search_path = %I, pg_temp', "
    "current_schema()); END $$;\n"
    for f in FUNCTIONS
)
REVERSE_SQL = "".join(f"ALTER FUNCTION {f} SET search_path FROM CURRENT;\n" for f in FUNCTIONS)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_and_chain_triggers")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
