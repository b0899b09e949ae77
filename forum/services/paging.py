"""One page of a list, for a page number that came from the address (?seite=).

The number is the visitor's input: `?seite=999999999999999999999` must give a normal page or
a 404, never an OFFSET too large for the database driver (a 500). No list here comes near
MAX_PAGE pages."""

from functools import lru_cache

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select
from werkzeug.exceptions import NotFound

from ..extensions import db

MAX_PAGE = 100_000


class RowPagination(SelectPagination):
    """Pages of a select of several columns (an entity and figures about it): the items are
    its rows as tuples, where `db.paginate` keeps only each row's first column."""

    def _query_items(self) -> list:
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return [tuple(row) for row in self._query_args["session"].execute(select).unique()]


class NoRows(Pagination):
    """A page of a list known to be empty: no statement runs."""

    def __init__(self, page: int, per_page: int, error_out: bool = False) -> None:
        super().__init__(page=page, per_page=per_page, error_out=error_out, count=False)
        self.total = 0

    def _query_items(self) -> list:
        return []

    def _query_count(self) -> int:
        return 0


def page_of(query: Select, page: int | None, per_page: int, *,
            error_out: bool = False, total: int | None = None) -> Pagination:
    """`db.paginate` for a page number from the address.

    With `error_out`, a page below 1, beyond the last one or beyond MAX_PAGE is a 404.
    Without it, below 1 is page 1, and beyond MAX_PAGE is the (empty) page MAX_PAGE, just as
    any page past the end is an empty page. A `total` known from a counter replaces the
    count of the query's rows (a total of 0 spares the list any statement); so does a page
    that is not full (it is the last one: the total follows from it), which spares short
    lists their second statement."""
    page = 1 if page is None else page
    if page > MAX_PAGE:
        if error_out:
            raise NotFound()
        page = MAX_PAGE
    if total == 0:
        return NoRows(page, per_page, error_out)
    if len(query.column_descriptions) > 1:
        pagination: Pagination = RowPagination(select=query, session=db.session(), page=page,
                                               per_page=per_page, error_out=error_out,
                                               count=False)
    else:
        pagination = db.paginate(query, page=page, per_page=per_page, error_out=error_out,
                                 count=False)
    if total is None:
        shown = len(pagination.items)
        if 0 < shown < pagination.per_page or (shown == 0 and pagination.page == 1):
            total = (pagination.page - 1) * pagination.per_page + shown
        else:
            total = pagination._query_count()  # noqa: SLF001 (Flask-SQLAlchemy's own count)
    pagination.total = total
    return pagination


def check_page(page: int) -> None:
    """For lists paged by hand: a page number no list reaches is a 404."""
    if page > MAX_PAGE:
        raise NotFound()


def page_of_ids(ids: Select, entity, options, page: int | None, per_page: int, *,
                error_out: bool = False, total: int | None = None) -> Pagination:
    """A page of `entity` rows, found in two steps: the page's ids by `ids` (a select of
    the entity's id with the list's conditions and order, which an index can answer without
    reading a row), then those rows alone, with `options` (their joins), in the same order.
    A deep page's OFFSET then skips index entries, not joined rows."""
    pager = page_of(ids, page, per_page, error_out=error_out, total=total)
    if pager.items:
        rows = {row.id: row for row in db.session.scalars(
            _rows_by_id(entity, tuple(options)), {"ids": pager.items}).unique()}
        pager.items = [rows[item] for item in pager.items if item in rows]
    return pager


@lru_cache(maxsize=32)
def _rows_by_id(entity, options: tuple) -> Select:
    """The second step's statement, built once per list (its entity and options are the
    list's constants): the ids are a parameter."""
    return sa.select(entity).where(entity.id.in_(sa.bindparam("ids", expanding=True))).options(
        *options)
