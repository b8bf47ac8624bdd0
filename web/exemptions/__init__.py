"""The exemption register in the web app: pages (list, forms, one entry), ONE generic
step route driven by the transition table (with its confirmation page), the redaction
areas drawn on page images, the legal bases, and the public DIK."""

from __future__ import annotations

from fastapi import FastAPI

from flows.app.exemptions import Desk
from flows.app.review import open_register
from web.deps import Services
from web.exemptions import areas, bases, pages, public, steps
from web.exemptions.common import install_filters


def install(app: FastAPI) -> None:
    """Everything the exemption pages add to the app (called once by ``create_app``)."""
    services: Services = app.state.services
    register = open_register(services.settings, services.catalog)
    app.state.exemption_desk = Desk(
        services.settings.layout, services.catalog, register, services.settings.ocr
    )
    install_filters(services)
    for module in (public, bases, areas, steps, pages):
        app.include_router(module.router)
