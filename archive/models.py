"""Every table of the catalog database on one metadata: what the migrations are written
against and what the schema test compares the migrated database with.

Importing this imports each module that owns tables (each defines its own rows on
``archive.db.Base``); nothing else needs to.
"""

from __future__ import annotations

from sqlalchemy import MetaData

import archive.account_tables
import archive.audit
import archive.catalog_tables
import archive.custody.handover
import archive.custody.hardcopy
import archive.exemptions.store
import archive.rate_limits
import archive.requests.tables  # noqa: F401  (the imports above and this one register tables)
from archive.db import Base

metadata: MetaData = Base.metadata
