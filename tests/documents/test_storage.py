"""The "documents" storage chosen by the environment (config.env.get_documents_storage), and
the S3 storage exercised in-process (moto), sealed bytes only in the bucket."""

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from moto import mock_aws
from storages.backends.s3 import S3Storage

from config.env import get_documents_storage
from documents.storage import read_sealed
from tests import personas
from tests.documents.files import add, canary, pdf
from tests.factories import make_case


def test_the_filesystem_under_var_is_the_default(tmp_path):
    chosen = get_documents_storage({}, var_dir=tmp_path)
    assert chosen["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert chosen["OPTIONS"]["location"] == str(tmp_path / "documents")
    assert chosen["OPTIONS"]["file_permissions_mode"] == 0o600


def test_a_bucket_chooses_s3_with_its_endpoint_and_keys_from_files(tmp_path):
    secret_file = tmp_path / "s3_secret"
    secret_file.write_text("secret-from-file\n")
    chosen = get_documents_storage(
        {
            "NRM_DOCUMENTS_S3_BUCKET": "nrm-docs",
            "NRM_DOCUMENTS_S3_ENDPOINT_URL": "https://minio.example.org",
            "NRM_DOCUMENTS_S3_REGION": "eu-west-3",
            "NRM_DOCUMENTS_S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
            "NRM_DOCUMENTS_S3_SECRET_ACCESS_KEY_FILE": str(secret_file),
        },
        var_dir=tmp_path,
    )
    assert chosen == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "nrm-docs",
            "location": "documents",
            "endpoint_url": "https://minio.example.org",
            "region_name": "eu-west-3",
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "access_key": "AKIAEXAMPLE",
            "secret_key": "secret-from-file",
        },
    }


def test_one_s3_key_without_the_other_stops_start_up(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="both"):
        get_documents_storage(
            {"NRM_DOCUMENTS_S3_BUCKET": "b", "NRM_DOCUMENTS_S3_ACCESS_KEY_ID": "AKIA"},
            var_dir=tmp_path,
        )


@pytest.fixture
def s3_documents(settings, monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="nrm-test-documents")
        settings.STORAGES = {
            **settings.STORAGES,
            "documents": get_documents_storage(
                {"NRM_DOCUMENTS_S3_BUCKET": "nrm-test-documents"}, var_dir=settings.VAR_DIR
            ),
        }
        yield boto3.client("s3", region_name="us-east-1")


def test_documents_go_sealed_to_the_bucket_and_come_back_in_clear(s3_documents, cast, client_for):
    assert isinstance(storages["documents"], S3Storage)
    case = make_case(cast.ngo_a)
    marker = canary()
    document = add(case, cast.ngo_a, pdf(marker))
    objects = s3_documents.list_objects_v2(Bucket="nrm-test-documents")["Contents"]
    assert [o["Key"] for o in objects] == [f"documents/{document.pk}.sealed"]
    stored = s3_documents.get_object(
        Bucket="nrm-test-documents", Key=f"documents/{document.pk}.sealed"
    )["Body"].read()
    assert marker not in stored
    assert stored == read_sealed(document.stored_name)
    response = client_for(personas.NGO_A).get(f"/cases/{case.pk}/documents/{document.pk}/")
    assert (response.status_code, response.content) == (200, pdf(marker))
