"""Cost of the protected fields: encrypt and decrypt per field, blind indexes, AES-GCM alone."""

import datetime
import uuid

from cases import identity
from cases.management.commands.rotate_field_keys import encrypted_models
from core import crypto
from core.fields import EncryptedField, Sealed, get_keyring

from .figures import measure
from .timing import per_call_us

# A representative value for each field; anything else gets a short text.
SAMPLES = {
    "given_name": "Aminata",
    "family_name": "Diallo",
    "date_of_birth": datetime.date(1998, 4, 12),
    "phone": "+212 600 012345",
    "address": "12 Derb Sultan, Casablanca",
    "document_number": "AB1234567",
    "summary": "Identified during a labour inspection on a farm near Agadir; wages withheld "
    "for months. Needs shelter tonight.",
    "body": "Seen at the health unit; follow-up visit planned next week with an interpreter.",
}
DEFAULT_SAMPLE = "Reason given by the organisation, a sentence or two long."


def encrypted_fields():
    for model, fields in encrypted_models():
        for field in fields:
            yield model, field


def measure_field(model, field: EncryptedField, iterations: int) -> tuple[float, float, int]:
    """(µs per encrypt, µs per decrypt, stored bytes) through the field, as a save and a read do."""
    encrypt, decrypt = field_functions(model, field)
    assert decrypt() == SAMPLES.get(field.name, DEFAULT_SAMPLE)
    size = len(bytes(encrypt()))
    return per_call_us(encrypt, iterations), per_call_us(decrypt, iterations), size


def run(*, iterations: int, out) -> None:
    keyring = get_keyring()
    out.write(
        f"Protected fields: µs per operation, mean of {iterations:,} operations "
        f"(AES-256-GCM, key {keyring.primary_kid!r})\n"
    )
    out.write(f"  {'field':<34}{'encrypt':>9}{'decrypt':>9}{'bytes':>7}\n")
    row_decrypt = {}
    for model, field in encrypted_fields():
        encrypt_us, decrypt_us, size = measure_field(model, field, iterations)
        label = f"{model._meta.label}.{field.name}"
        out.write(f"  {label:<34}{encrypt_us:>9.1f}{decrypt_us:>9.1f}{size:>7}\n")
        row_decrypt.setdefault(model._meta.label, []).append(decrypt_us)
    person = row_decrypt.get("cases.Person")
    if person:
        out.write(f"  {'a whole Person (all fields)':<34}{'':>9}{sum(person):>9.1f}\n")

    plaintext = b"s" + b"x" * 31
    ad = b"cases.Person.given_name|" + str(uuid.uuid4()).encode()
    sealed = crypto.encrypt(keyring, plaintext, context="bench", associated_data=ad)
    out.write(
        f"  {'AES-256-GCM alone (32 bytes)':<34}"
        f"{per_call_us(lambda: crypto.encrypt(keyring, plaintext, context='bench', associated_data=ad), iterations):>9.1f}"  # noqa: E501
        f"{per_call_us(lambda: crypto.decrypt(keyring, sealed, context='bench', associated_data=ad), iterations):>9.1f}\n"  # noqa: E501
    )

    dob = datetime.date(1998, 4, 12)
    name_us = per_call_us(
        lambda: identity.name_dob_index(
            family_name="El Idrissi", given_name="Fatima-Zahra", date_of_birth=dob
        ),
        iterations,
    )
    document_us = per_call_us(lambda: identity.document_index("AB 123 456 7"), iterations)
    out.write(
        f"Blind indexes: µs per index: name + date of birth {name_us:.1f}, "
        f"document number {document_us:.1f}\n"
    )


def field_functions(model, field: EncryptedField):
    """(encrypt, decrypt) of one field's sample value, as a save and a read run them."""
    instance = model(pk=uuid.uuid4())
    value = SAMPLES.get(field.name, DEFAULT_SAMPLE)
    attname = field.attname
    state = instance.__dict__

    def encrypt():
        state[attname] = value
        return field.pre_save(instance, True)

    blob = bytes(encrypt())

    def decrypt():
        # As after a query: from_db_value wraps the column, the attribute read opens it.
        state[attname] = Sealed(blob)
        return getattr(instance, attname)

    return encrypt, decrypt


def crypto_figures(*, batch: int, runs: int) -> list:
    """Encrypt and decrypt per field: each run is ``batch`` operations, the figure per one."""
    figures = []
    for model, field in encrypted_fields():
        encrypt, decrypt = field_functions(model, field)
        label = f"{model._meta.label}.{field.name}"
        for verb, function in (("encrypt", encrypt), ("decrypt", decrypt)):
            figures.append(
                measure(
                    f"{verb} {label}",
                    _repeated(function, batch),
                    runs=runs,
                    per_call=batch,
                )
            )
    return figures


def _repeated(function, times: int):
    def many():
        for _ in range(times):
            function()

    return many
