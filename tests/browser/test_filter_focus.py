"""The sticky 'Appliquer les filtres' bar never hides the filter field that has the keyboard focus."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_no_focused_filter_field_is_hidden_under_the_sticky_bar(request, live_server, directory, fixture):
    page = request.getfixturevalue(fixture)
    page.goto(live_server.url + "/")
    fields = page.locator(".directory__filters input, .directory__filters select")
    hidden = []
    for index in range(fields.count()):
        field = fields.nth(index)
        if not field.is_visible():
            continue
        field.focus()
        covered = page.evaluate("""(node) => {
            const bar = document.querySelector('.directory__filter-actions').getBoundingClientRect();
            const box = node.getBoundingClientRect();
            return box.bottom > bar.top + 1 && box.top < bar.bottom;
        }""", field.element_handle())
        if covered:
            hidden.append(field.get_attribute("name"))
    assert hidden == []
