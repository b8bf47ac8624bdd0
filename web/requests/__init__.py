"""Information requests in the web app: the desk's list and intake form, one request's
page and answer page, objections, the yearly report, and the public request form with
its status page. ``install(app)`` adds them (called once by ``create_app``)."""

from __future__ import annotations

from fastapi import FastAPI

from web.requests import desk, objections, page, public
from web.requests.common import install_filters


def install(app: FastAPI) -> None:
    install_filters(app.state.services)
    public.install_limits(app.state)
    for module in (desk, page, objections, public):
        app.include_router(module.router)
