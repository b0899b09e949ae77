"""The public directory of verified experts (/fachleute) and their profile pages.

Only experts with a verification in force who agreed to a public profile are listed; anyone
else, also after expiry or revocation, is a 404. Organisation and expertise appear only with
their own consent."""

from flask import Blueprint, abort, render_template, request

from ..services import browse, experts

bp = Blueprint("experts", __name__, url_prefix="/fachleute")


@bp.get("")
def index():
    topics = browse.all_topic_fields()
    slug = request.args.get("themenfeld", "").strip()
    topic = None
    if slug:
        topic = next((t for t in topics if t.slug == slug), None) or abort(404)
    people = experts.directory(topic)
    return render_template("experts/index.html", people=people, topics=topics, topic=topic,
                           counts=experts.answer_counts([p.id for p in people]))


@bp.get("/<int:user_id>")
def profile(user_id: int):
    person = experts.find_listed(user_id) or abort(404)
    answers, helpful = experts.answer_counts([person.id]).get(person.id, (0, 0))
    return render_template("experts/profile.html", person=person,
                           verification=person.expert_scope, answer_count=answers,
                           helpful_count=helpful, answers=experts.profile_answers(person))
