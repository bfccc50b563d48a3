"""Words for foods to leave out are shown as a preview before saving: under the household's
"Foods to leave out" and each member's "Won't eat", what each word is understood as
("mushrooms → All mushrooms (4 foods): Button mushrooms; …") or, for an unknown word, close words
that would work. Without a script the server refuses unknown words on save, with the same close
words beside the field they were typed in."""
from __future__ import annotations

import html
import re

from playwright.sync_api import Browser, expect
from sqlalchemy import select

from planner.extensions import db
from planner.models import Profile as ProfileRow
from test_plan_pages import PHONE, SHOTS, _accessible, _log_in, _profile_form


def _field(page: str, field_id: str) -> str:
    """The markup of one field: from its input to where the next field (or its group) starts."""
    start = re.search(rf'<input[^>]*\bid="{re.escape(field_id)}"', page)
    assert start, f"no input #{field_id}"
    end = re.compile(r'<div class="field|</fieldset>|</details>').search(page, start.end())
    return page[start.start():end.start() if end else len(page)]


def test_unknown_words_are_refused_beside_their_own_field_without_a_script(client):
    sent = client.post("/plans/profiles/new", data=_profile_form(
        excluded_foods="fish, mushroms", **{"members-1-dislikes": "brocoli"}))
    page = sent.get_data(as_text=True)
    assert sent.status_code == 400
    household, member = _field(page, "excluded_foods"), _field(page, "members-1-dislikes")
    assert re.search(r'<p class="error" id="excluded_foods-error">Unknown: mushroms \(did you mean mushrooms\?\)',
                     household)
    assert re.search(r'<p class="error" id="members-1-dislikes-error">Unknown: brocoli \(did you mean broccoli',
                     member)
    assert "brocoli" not in household and "mushroms" not in member  # each message beside its own field
    for field_id, markup in (("excluded_foods", household), ("members-1-dislikes", member)):
        described = re.search(r'aria-describedby="([^"]+)"', markup).group(1).split()
        assert f"{field_id}-error" in described and f"{field_id}-words" in described
        assert 'aria-invalid="true"' in markup
        assert re.search(rf'<div class="words-preview" id="{field_id}-words" aria-live="polite">', markup)
    sam = page[page.index('id="members-1-name"'):page.index('id="members-1-dislikes"')]
    assert re.search(r'<details class="more" open>', sam)  # the message is in sight, not in a closed section


def test_saved_words_come_back_as_typed_and_save_again(client):
    assert client.post("/plans/profiles/new", data=_profile_form(excluded_foods="mushrooms, fish")).status_code == 302
    row = db.session.scalars(select(ProfileRow)).one()
    page = client.get(f"/plans/profiles/{row.id}").get_data(as_text=True)
    typed = html.unescape(re.search(r'<input[^>]*id="excluded_foods"[^>]*value="([^"]*)"', page).group(1))
    assert typed == "mushrooms, fish"  # not every food they cover ("Cod fillet, raw" would split at its comma)
    again = client.post(f"/plans/profiles/{row.id}", data=_profile_form(excluded_foods=typed, version=str(row.version)))
    assert again.status_code == 302, _field(again.get_data(as_text=True), "excluded_foods")


def test_the_form_previews_what_each_word_means_as_it_is_typed(browser: Browser, live_server: str) -> None:  # noqa: F811
    page = browser.new_page(base_url=live_server, viewport=PHONE)
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/v1/words" in r.url else None)
    _log_in(page)
    page.goto("/plans/profiles/new")

    leave_out = page.get_by_label("Foods to leave out")
    preview = page.locator("#excluded_foods-words")
    expect(preview).to_have_attribute("aria-live", "polite")
    assert "excluded_foods-words" in leave_out.get_attribute("aria-describedby").split()
    leave_out.fill("mushrooms, fish")
    expect(preview).to_contain_text("Shiitake mushrooms")
    expect(preview.locator("li").first).to_contain_text(re.compile(r"mushrooms\s*→\s*:?\s*All mushrooms"))
    expect(preview.locator("li").nth(1)).to_contain_text(re.compile(r"; and \d+ more$"))  # 8 fish, then a count
    assert preview.locator("li").nth(1).inner_text().count(";") == 8
    SHOTS.mkdir(parents=True, exist_ok=True)
    leave_out.locator("xpath=..").screenshot(path=str(SHOTS / "word-preview-phone.png"))

    asked.clear()
    leave_out.fill("")
    leave_out.press_sequentially("mushroms", delay=40)
    expect(preview).to_contain_text(re.compile(r"mushroms\s*→\s*:?\s*not known — did you mean “mushrooms”\?"))
    expect(preview).not_to_contain_text("Shiitake")
    assert 1 <= len(asked) < len("mushroms"), asked  # one question when typing pauses, not one a key
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    _accessible(page, "profile with a word preview")

    page.get_by_role("button", name="Add a member").click()
    added = page.locator("fieldset.member").last
    expect(added.locator("legend")).to_have_text("Person 4")
    added.get_by_text("Meals away, allergies and dislikes").click()
    added.get_by_label("Won't eat").fill("spicy food")
    own = page.locator("#members-3-dislikes-words")
    expect(own).to_have_attribute("aria-live", "polite")
    expect(own).to_contain_text("spicy food → ")
    expect(own).to_contain_text("Kimchi")
    added.screenshot(path=str(SHOTS / "word-preview-member-phone.png"))
    assert "members-3-dislikes-words" in added.get_by_label("Won't eat").get_attribute("aria-describedby").split()
    expect(preview).to_contain_text("mushroms")  # the household's preview is its own
    expect(page.locator("#members-0-dislikes-words")).to_be_empty()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]

    page.route("**/api/v1/words*", lambda route: route.abort())  # no answer: no preview, the save still checks
    leave_out.fill("kimchi")
    expect(preview).to_be_empty()
    page.unroute("**/api/v1/words*")

    page.get_by_label("Profile name").fill("The Okafors")
    page.locator("#members-0-name").fill("Ada")
    page.locator("#members-0-age").fill("34")
    leave_out.fill("mushrooms, fish")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Saved The Okafors.")).to_be_visible()
    page.get_by_role("link", name="The Okafors").click()
    expect(page.get_by_label("Foods to leave out")).to_have_value("mushrooms, fish")
    expect(page.locator("#excluded_foods-words")).to_contain_text("Shiitake mushrooms")  # shown on opening
    problems = [p for p in problems if "api/v1/words" not in p and "ERR_FAILED" not in p]  # the aborted ones
    assert not problems, problems
    page.close()
