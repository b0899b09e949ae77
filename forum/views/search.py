"""Full-text search (/suche)."""

from flask import Blueprint, abort, render_template, request

from ..fragment_cache import rendered
from ..markup import highlight_excerpt
from ..services import browse, search, search_groups, search_suggest
from . import id_arg

bp = Blueprint("search", __name__)


@bp.get("/suche")
def index():
    query = request.args.get("q", "").strip()[:200]
    project_id = id_arg("projekt")
    topic_id = id_arg("themenfeld")
    state = request.args.get("status", "")
    state = state if state in search.STATES else ""
    page = request.args.get("seite", 1, type=int)
    if page < 1:
        abort(404)
    # everybody's results (public content only): searched and rendered once per query,
    # filters, page, generation and language, for logged-in people too
    content = rendered(("search", query, project_id, topic_id, state, page),
                       "search/_content.html",
                       lambda: _results(query, project_id, topic_id, state, page))
    return render_template("search/index.html", query=query, content=content)


def _results(query: str, project_id, topic_id, state: str, page: int) -> dict:
    results = None
    suggestion = None
    groups = search_groups.Groups()
    if query and page == 1:
        groups = search_groups.find(query, project_id=project_id, topic_id=topic_id)
    if query:
        results = search.search(query, project_id=project_id, topic_id=topic_id,
                                state=state or None, page=page)
        if results.total and page > results.pages:
            abort(404)
        if not results.total and not groups:
            suggestion = search_suggest.did_you_mean(query)
        is_match = search.matcher(results.terms)
        for hit in results.hits:
            hit.snippet = highlight_excerpt(hit.post.body_html, is_match)
    return {"query": query, "results": results, "groups": groups, "suggestion": suggestion,
            "candidates": search.CANDIDATES, "projects": browse.all_projects(),
            "topics": browse.all_topic_fields(), "filters": {
                "q": query, "projekt": project_id or "", "themenfeld": topic_id or "",
                "status": state}}
