"""Other directories' shapes: data·inclusion v1 and Open Referral HSDS 3.0 (docs/api.md maps them field by field)."""


def register(api) -> None:
    pass
