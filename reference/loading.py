"""Loading the reference vocabularies from ``reference/data/*.json``.

Used by the data migration and by tests that truncate tables (transactional tests remove the
rows a data migration put there).
"""

import json
from pathlib import Path

from django.apps import apps as global_apps

DATA_DIR = Path(__file__).resolve().parent / "data"

FILES = {
    "Region": "regions_MA.json",
    "ExploitationForm": "exploitation_forms.json",
    "ServiceType": "service_types.json",
    "Nationality": "nationalities.json",
    "Language": "languages.json",
    "MeansOfControl": "means_of_control.json",
    "RecruitmentMethod": "recruitment_methods.json",
    "TraffickerRelationship": "trafficker_relationships.json",
}


def load_reference_data(apps=None, *, only=None) -> None:
    """Insert or update every reference row (of the ``only`` models, when given); idempotent.

    A data migration names its models: a later vocabulary's table does not exist yet in the
    historical state an earlier migration runs in.
    """
    if apps is None:
        apps = global_apps
    for model_name, filename in FILES.items():
        if only is not None and model_name not in only:
            continue
        model = apps.get_model("reference", model_name)
        rows = json.loads((DATA_DIR / filename).read_text(encoding="utf-8"))
        # An earlier migration's model lacks the columns added since (translations): it loads
        # the values it has a column for, and the later migration loads the rest.
        columns = {field.name for field in model._meta.concrete_fields}
        for row in rows:
            code = row.pop("code")
            defaults = {key: value for key, value in row.items() if key in columns}
            model.objects.update_or_create(code=code, defaults=defaults)
