"""Lectures in Jupyter: a notebook run by nbclient shows steps, graphs and the stepper; the stepper's
HTML, as a notebook exported to HTML holds it, steps with the buttons and the keys in Chromium."""

from pathlib import Path

import pytest

import microbp
from conftest import headless_chromium
from microbp import Value, losses, scope

ROOT = Path(__file__).resolve().parents[2]

NEURON = """
import sys
sys.path.insert(0, {root!r})
import microbp
from microbp import Value, scope, losses
x, w, b = Value(1.0, label="x"), Value(0.5, label="w"), Value(0.1, label="b")
with scope("neuron"):
    z = w * x + b; z.label = "z"
    a = z.sigmoid(); a.label = "a"
E = losses.mse(a, Value(0.2, label="t"))
print(microbp.__file__)
"""


def neuron_loss():
    x, w, b = Value(1.0, label="x"), Value(0.5, label="w"), Value(0.1, label="b")
    with scope("neuron"):
        a = (w * x + b).sigmoid()
    return losses.mse(a, Value(0.2, label="t"))


@pytest.fixture(scope="module")
def notebook(tmp_path_factory):
    """The notebook, executed in a real kernel."""
    pytest.importorskip("nbclient")
    import nbformat
    from nbclient import NotebookClient

    cells = [NEURON.format(root=str(ROOT)),
             'lecture = microbp.steps(E, view="network", notation="labels", optimizer="adam")\nlecture[2]',
             "lecture",
             "microbp.Graph(E)",
             'microbp.stepper(E, view="network")']
    book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    folder = tmp_path_factory.mktemp("notebook")
    NotebookClient(book, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    return book


def output(book, cell: int) -> dict:
    return next(o for o in book.cells[cell].outputs if o.output_type == "execute_result")["data"]


@pytest.mark.needs_notebook
@pytest.mark.needs_dot
def test_a_notebook_shows_a_step_a_lecture_a_graph_and_the_stepper(notebook):
    assert str(ROOT) in notebook.cells[0].outputs[0]["text"]          # this checkout's microbp ran
    step = output(notebook, 1)
    assert step["text/plain"].startswith("Step(2, 'backward', ") and len(step["text/plain"]) < 120
    assert "<svg" in step["text/html"] and "∂L/∂a = 2(a − t)" in step["text/html"]
    assert output(notebook, 2)["text/html"].startswith("<iframe srcdoc=")
    assert "<svg" in output(notebook, 3)["image/svg+xml"]
    assert output(notebook, 3)["text/plain"].startswith("Graph(root=")
    shown = output(notebook, 4)
    count = len(microbp.steps(neuron_loss(), view="network"))
    assert shown["text/plain"] == f"Stepper({count} steps)" and shown["text/html"].startswith("<iframe srcdoc=")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = headless_chromium(tmp_path_factory.mktemp("chromium"), "1200,900")
    yield driver
    driver.quit()


def exported(tmp_path, html: str) -> Path:
    """A page as a notebook exported to HTML holds an output: the output's HTML inside the page."""
    path = tmp_path / "exported.html"
    path.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><h1>Notebook</h1>"
                    f"<div class='output'>{html}</div></body></html>", encoding="utf-8")
    return path


def state(driver) -> tuple:
    return driver.execute_script("""
        var frame = document.querySelector('.frame:not([hidden])');
        return [document.getElementById('counter').textContent, frame.querySelector('.caption').textContent];""")


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_the_stepper_steps_with_buttons_and_keys_inside_a_page(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    loss = neuron_loss()
    lecture = microbp.steps(loss, view="network", optimizer="adam")
    page = exported(tmp_path, microbp.stepper(loss, view="network", optimizer="adam")._repr_html_())
    browser.get(f"file://{page}")
    browser.switch_to.frame(browser.find_element(By.TAG_NAME, "iframe"))
    count = len(lecture)
    assert state(browser) == [f"1 / {count}", lecture[0].caption]
    browser.find_element(By.ID, "next").click()
    assert state(browser) == [f"2 / {count}", lecture[1].caption]
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_RIGHT)
    assert state(browser) == [f"3 / {count}", lecture[2].caption]
    body.send_keys(Keys.END)
    assert state(browser) == [f"{count} / {count}", lecture[-1].caption]
    assert "m̂ = m ÷ (1 − β₁ ^ t)" in lecture[-1].caption
    browser.find_element(By.ID, "previous").click()
    body.send_keys(Keys.HOME)
    assert state(browser)[0] == f"1 / {count}"
    assert browser.execute_script("return document.querySelectorAll('.frame svg').length") == count
