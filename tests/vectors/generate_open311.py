#!/usr/bin/env python3
"""Writes the inputs and descriptions of the Open311 GeoReport v2 vectors: services and
service definitions (the small rule set has an attribute of every datatype), requests
taken in (good and bad), the ledger's cases given out with their notes, in XML and JSON,
and documents of other systems (the spec's own examples) converted.

    python3 tests/vectors/generate_open311.py
    GRIDGOV_BLESS=1 cargo test -p gridgov-tests --test vectors
"""

import json
import pathlib

from vectorlib import FIXTURES, write

SMALL_ORG = json.loads((FIXTURES / "small_org.json").read_text(encoding="utf-8"))
SMALL_RULES = json.loads((FIXTURES / "small_rules.json").read_text(encoding="utf-8"))
SPEC = pathlib.Path(__file__).resolve().parents[2] / "core" / "src" / "open311" / "spec"
SMALL = {"org": SMALL_ORG, "rules": SMALL_RULES}


def call(name, description, doc, **inputs):
    write(f"open311/{name}.json", description, "open311", {**inputs, "call": doc})


# ------------------------------------------------------------- services and definitions

call("services-xml", "GET services on the small rule set, in XML (the spec's required format): one "
     "service per category, `metadata` true where the category has attributes (hazard), type realtime.",
     {"call": "services"}, **SMALL)
call("services-json", "GET services in JSON (the Spark convention): the same services as services-xml.",
     {"call": "services", "format": "json"}, **SMALL)
call("definition-every-datatype-xml", "GET services/hazard: the attributes of every datatype in the "
     "rule set's order (order 1 to 5): number, multivaluelist with its values as key/name, datetime, "
     "boolean (as a singlevaluelist of true and false, Open311 having no boolean), string.",
     {"call": "service_definition", "service_code": "hazard"}, **SMALL)
call("definition-every-datatype-json", "GET services/hazard in JSON.",
     {"call": "service_definition", "service_code": "hazard", "format": "json"}, **SMALL)
call("definition-unknown-service", "GET services/moon: 404 in Open311's error form, naming the valid codes.",
     {"call": "service_definition", "service_code": "moon", "format": "json"}, **SMALL)
call("definition-fushan-hazard-xml", "GET services/safety_hazard on the Fushan default: hazard_type "
     "(required, a singlevaluelist) and first_noticed (a datetime).",
     {"call": "service_definition", "service_code": "safety_hazard"})

# ------------------------------------------------------------------ POST requests

GAS = ("service_code=safety_hazard&lat=35.3865521&long=116.9448385&attribute%5Bhazard_type%5D=gas"
       "&first_name=%E8%8A%B3&last_name=%E7%8E%8B&phone=13800001234&email=wangfang%40example.com"
       "&account_id=acc-9&device_id=dev-77&description=Smell+of+gas+in+the+stairwell"
       "&media_url=https%3A%2F%2Fexample.com%2F1.jpg&api_key=xyz&jurisdiction_id=fushan")
call("post-point-json", "POST requests: a gas smell with a phone's WGS-84 point in fs-c01-g01-m1 (the "
     "map is GCJ-02; the point is converted), attribute[hazard_type]=gas, the resident's names (a Chinese "
     "name, family name first), phone, e-mail, account and device going to the reporter, the photo to "
     "media_url; api_key and jurisdiction_id are the integrator's and passed over. 200: the new id, a "
     "notice of who handles it by when, the account; the located case to record.",
     {"call": "post_request", "form": GAS, "id": "o311-1", "received_at": "2026-03-06T18:30:00+08:00",
      "format": "json"})
call("post-address-id-xml", "POST requests with address_id (a micro-grid id) instead of a point, and "
     "address_string kept in the summary; XML answer.",
     {"call": "post_request",
      "form": "service_code=environment&address_id=fs-c03-g02-m1&address_string=3+Tiexi+Rd&description=Rubbish+not+collected",
      "id": "o311-2", "received_at": "2026-03-02T09:00:00+08:00"})
call("post-every-problem-json", "POST requests with an unknown service, an unknown field, a latitude "
     "without a longitude and a field given twice: 404 first, then every 400, each naming the field.",
     {"call": "post_request", "form": "service_code=moon&colour=red&lat=35.38&phone=1&phone=2",
      "id": "o311-3", "received_at": "2026-03-02T09:00:00+08:00", "format": "json"})
call("post-bad-attributes-xml", "POST requests whose attributes do not fit the service: a number that "
     "is not one, an attribute of another service, a list for a single value.",
     {"call": "post_request",
      "form": ("service_code=labour_wage&address_id=fs-c01-g01-m1&attribute%5Bworkers_unpaid%5D=many"
               "&attribute%5Bhazard_type%5D=gas"),
      "id": "o311-4", "received_at": "2026-03-02T09:00:00+08:00"})
call("post-required-attribute-missing-json", "POST requests for a hazard without its required "
     "hazard_type is not lost: taken in on the safe side (as if gas or fire: the community within 4 "
     "hours), the notice naming attribute[hazard_type] as to be completed.",
     {"call": "post_request", "form": "service_code=safety_hazard&address_id=fs-c01-g01-m1",
      "id": "o311-5", "received_at": "2026-03-02T09:00:00+08:00", "format": "json"})
call("post-outside-the-map-json", "POST requests with a point 20 km from Fushan: 400, naming the "
     "nearest micro-grid and its distance.",
     {"call": "post_request", "form": "service_code=environment&lat=35.2&long=116.8",
      "id": "o311-6", "received_at": "2026-03-02T09:00:00+08:00", "format": "json"})
call("post-address-string-only-json", "POST requests with only address_string: it cannot place the "
     "request in a micro-grid; give lat/long or address_id.",
     {"call": "post_request", "form": "service_code=environment&address_string=3+Tiexi+Rd",
      "id": "o311-7", "received_at": "2026-03-02T09:00:00+08:00", "format": "json"})
write("open311/errors/unknown-call.json", "An unknown Open311 call is an input error naming the four.",
      "open311", {"call": {"call": "tokens"}})
write("open311/errors/bad-format.json", "An unknown format is an input error: xml or json.",
      "open311", {"call": {"call": "services", "format": "yaml"}})
write("open311/errors/post-without-id.json", "A post_request call without the id of the new case.",
      "open311", {"call": {"call": "post_request", "form": "service_code=environment",
                           "received_at": "2026-03-02T09:00:00+08:00"}})

# ------------------------------------------------------------------ GET requests

LEDGER = {"$fixture": "access_ledger"}
write("open311/requests-json.json",
      "GET requests of a ledger's neighbour disputes in JSON: each as the public sees it (the summary's "
      "name masked), open, handled by its grid, expected by its deadline, with its address from the "
      "micro-grid up and its public timeline as notes.",
      "open311_requests", {"ledger": LEDGER, "call": {"call": "requests", "query": "service_code=neighbour_dispute",
                                                     "now": "2026-03-10T00:00:00+08:00", "format": "json"}})
write("open311/requests-by-id-xml.json",
      "GET requests/a2 (service_request_id overrides every other filter) in XML, with the notes extension.",
      "open311_requests", {"ledger": LEDGER, "call": {"call": "requests", "query": "service_request_id=a2&status=closed",
                                                     "now": "2026-03-10T00:00:00+08:00"}})
write("open311/requests-closed-none.json",
      "GET requests?status=closed: none of the ledger's cases is closed.",
      "open311_requests", {"ledger": LEDGER, "call": {"call": "requests", "query": "status=closed",
                                                     "now": "2026-03-10T00:00:00+08:00", "format": "json"}})
write("open311/requests-default-range.json",
      "GET requests without dates covers the last 90 days before `now`: on 2026-07-01 the March cases are older.",
      "open311_requests", {"ledger": LEDGER, "call": {"call": "requests", "query": "",
                                                     "now": "2026-07-01T00:00:00+08:00", "format": "json"}})
write("open311/requests-bad-query.json",
      "GET requests with a bad status, a range over 90 days, an unknown service and an unknown field: every problem as a 400 or 404.",
      "open311_requests", {"ledger": LEDGER, "call": {"call": "requests",
                                                     "query": "status=done&start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z&service_code=moon&colour=red",
                                                     "now": "2026-03-10T00:00:00+08:00", "format": "json"}})

# ------------------------------------------------------- documents of other systems


def convert(name, description, text, source, kind=None):
    doc = {"text": text, "from": source}
    if kind:
        doc["kind"] = kind
    write(f"open311/convert-{name}.json", description, "open311_convert", {"document": doc})


convert("spec-service-definition-xml", "The spec's example service definition (XML) read and written in both formats.",
        (SPEC / "service-definition.xml").read_text(encoding="utf-8"), "xml")
convert("spec-post-response-xml", "The spec's example answer to POST requests (XML): an empty <account_id/> is absent.",
        (SPEC / "service-request-post.xml").read_text(encoding="utf-8"), "xml")
convert("spec-errors-json", "The spec's example errors (JSON) written in both formats.",
        (SPEC / "errors.json").read_text(encoding="utf-8"), "json", "errors")
# The spec's JSON example writes `"service_code":006`, a number with a leading zero that
# JSON does not allow; it is given here with that code quoted.
convert("spec-service-request-json", "The spec's example service request (JSON; its `006` quoted, a leading zero being invalid JSON) read: ids given as numbers become text.",
        (SPEC / "service-request.json").read_text(encoding="utf-8").replace('":006', '":"006"'), "json", "service_requests")
write("open311/errors/convert-not-xml.json", "A document that is not well-formed XML is refused, saying where.",
      "open311_convert", {"document": {"text": "<services><service>", "from": "xml"}})
write("open311/errors/convert-json-without-kind.json", "JSON has no root name: without `kind` the document cannot be read.",
      "open311_convert", {"document": {"text": "[]", "from": "json"}})
