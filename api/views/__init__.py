"""API views: fetch through the visibility queryset, validate, call one service, map errors.

Checks run in API.md's order: 401, 404 (not visible), 403 (asked of ``cases.rules`` before the
body is read), 400 (the body), 409 (the service, which checks everything again under its lock).

One module per concern: ``common`` (shared helpers), ``account`` (me, organisations), ``cases``,
``case_work`` (consents, referring a case, transitions), ``casework`` (notes and the services
delivered, as ``cases.casework``), ``referrals`` and ``statistics``;
``api.urls`` imports each from its module.
"""
