#!/usr/bin/env python3
"""Drives a running Switchboard with an independent Open311 client library.

The client is `georeport` (PyPI, Apache-2.0; it reads JSON with requests and XML with
xmltodict). It has no call for POST requests, so the one POST is a plain form post with
`requests`, which georeport itself uses.

    python3 -m venv /tmp/o311 && /tmp/o311/bin/pip install georeport
    switchboard serve --demo &                         # or DATABASE_URL=postgres://… switchboard serve --demo
    KEY=$(switchboard apikeys create georeport-check --role open311)
    /tmp/o311/bin/python tests/it/open311/georeport_client.py http://127.0.0.1:8080/open311/v2 "$KEY"

Exits non-zero with the failed check on the first mismatch; prints one line per check.
Not part of `make test` (it needs PyPI and a running server).
"""

import sys

import requests
from georeport import GeoReport


def check(what, ok):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        sys.exit(1)


def main(root, key):
    json_client = GeoReport(root, jurisdiction="danang.gov.vn", api_key=key, output_format="json")
    xml_client = GeoReport(root, jurisdiction="danang.gov.vn", api_key=key, output_format="xml")

    services = json_client.get_service_list()
    xml_services = xml_client.get_service_list()
    check("services in JSON and XML list the same codes",
          [s["service_code"] for s in services] == [s["service_code"] for s in xml_services])
    waste = next(s for s in xml_services if s["service_code"] == "construction-waste")
    check("XML service fields read as text", waste["metadata"] == "true" and waste["type"] == "realtime")

    definition = json_client.get_service_definition("noise-karaoke")
    xml_definition = xml_client.get_service_definition("noise-karaoke")
    first = definition["attributes"][0]
    xml_first = xml_definition["attributes"]["attribute"][0]
    check("service definition: same first question in both formats",
          first["code"] == xml_first["code"] == "time_of_day" and xml_first["required"] == "true")
    check("service definition: XML values",
          [v["key"] for v in xml_first["values"]["value"]] == [v["key"] for v in first["values"]])

    form = {
        "api_key": key,
        "jurisdiction_id": "danang.gov.vn",
        "service_code": "noise-karaoke",
        "address_string": "Gần Chợ Hàn, Hải Châu",
        "description": "Karaoke ồn sau 22 giờ",
        "attribute[time_of_day]": "night",
        "attribute[repeats]": "daily",
        "first_name": "An",
        "last_name": "Nguyễn Văn",
        "phone": "0905123456",
    }
    created = requests.post(f"{root}/requests.json", data=form)
    check(f"POST requests.json answers 201 ({created.status_code})", created.status_code == 201)
    request_id = created.json()[0]["service_request_id"]
    check("the id is a string", isinstance(request_id, str))
    refused = requests.post(f"{root}/requests.xml", data={**form, "api_key": "wrong"})
    check("a wrong api_key is a 403 in XML", refused.status_code == 403 and b"<errors>" in refused.content)

    one = json_client.get_service_request(request_id)
    xml_one = xml_client.get_service_request(request_id)
    check("GET requests/{id} in JSON", one["service_request_id"] == request_id and one["status"] == "open")
    check("GET requests/{id} in XML", xml_one["service_request_id"] == request_id and xml_one["status"] == "open")
    check("the same coordinates in both formats", float(xml_one["lat"]) == one["lat"])
    for body in (str(one), str(xml_one)):
        check("no personal data", "0905123456" not in body and "Nguyễn Văn An" not in body)

    listed = json_client.get_service_requests(service_code="noise-karaoke", status="open")
    check("GET requests filters by service and status", any(r["service_request_id"] == request_id for r in listed))
    both = json_client.get_service_requests(service_request_id=f"{request_id},{request_id}")
    check("service_request_id lists", [r["service_request_id"] for r in both] == [request_id])
    xml_listed = xml_client.get_service_requests(service_code="noise-karaoke")
    xml_listed = xml_listed if isinstance(xml_listed, list) else [xml_listed]
    check("GET requests in XML", any(r["service_request_id"] == request_id for r in xml_listed))
    print("all checks passed")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1].rstrip("/"), sys.argv[2])
