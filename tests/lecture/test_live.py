"""The live page: Chromium, with the network shut off, drives its script API and is checked against the engine.

The oracle is the Python engine: the walkthrough network built again at the
leaf values the page was given, and ``microbp.optim``'s optimizers stepping
Values whose gradients come from that engine.
"""

import math
import re
from pathlib import Path

import pytest

import microbp
from microbp import Graph, Value, demo
from microbp.network.model import Network
from microbp.optim import SGD, Adagrad, Adam

CHANGED = {"w35": 0.3, "w13": -1.25, "y0": 0.75}      # w₃₅ and two other leaves


def walkthrough(values: dict) -> Value:
    """The walkthrough network with its leaves (labelled ``w35``, ``y0``, ...) at ``values``, after backward."""
    weights = {key: values.get(f"w{key[0]}{key[1]}", w) for key, w in demo.WEIGHTS.items()}
    saved = dict(demo.WEIGHTS)
    try:
        demo.WEIGHTS.update(weights)
        return demo.walkthrough_network(input_value=values.get("y0", 1.0))
    finally:
        demo.WEIGHTS.update(saved)


def leaf_labels() -> list:
    return [leaf.label for leaf in Graph(demo.walkthrough_network(backward=False)).leaves]


def close(a: float, b: float, relative: float = 1e-12) -> bool:
    return a == b or abs(a - b) <= relative * max(abs(a), abs(b))


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    return microbp.live(demo.walkthrough_network(backward=False), tmp_path_factory.mktemp("live") / "E.html")


def load(driver, path):
    driver.get("about:blank")
    driver.get(f"file://{path}")
    return driver


def test_the_page_names_no_web_address_and_fetches_nothing_it_does_not_hold(page):
    text = Path(page).read_text(encoding="utf-8")
    assert not re.search(r"https?:", text, re.IGNORECASE)
    assert not re.search(r"""(src|href)\s*=\s*["'](?!#)""", text)
    assert "const microbp" in text and 'class="cell"' in text


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_changed_leaves_give_the_engines_every_value_and_gradient(offline_browser, page):
    driver = load(offline_browser, page)
    for name, value in CHANGED.items():
        driver.execute_script("microbp.set(arguments[0], arguments[1])", name, value)
    names, numbers = driver.execute_script("return [microbp.names(), microbp.names().map(microbp.get)]")
    engine = Graph(walkthrough(CHANGED))
    assert names[-1] == "E" and "w35" in names and len(names) == len(engine.order)
    for node, name, shown in zip(engine.order, names, numbers):
        assert node.label is None or node.label == name
        assert close(shown["data"], node.data) and close(shown["grad"], node.grad), name
    assert driver.execute_script("return microbp.loss()") == engine.root.data
    cells = driver.execute_script("return Array.from(document.querySelectorAll('#picture .cell'))"
                                  ".map((c) => [Number(c.dataset.node), c.dataset.kind, c.textContent])")
    assert len(cells) >= 2 * len(engine.leaves)
    for index, kind, text in cells:
        if kind in ("data", "grad"):
            assert text == format(getattr(engine.order[index], kind), ".4g")
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0


def python_descent(optimizer_class, steps: int, start: dict, **settings) -> tuple:
    """(the leaves' values, the losses) after ``steps`` updates of ``microbp.optim``, from ``start``."""
    labels = leaf_labels()
    params = [Value(start.get(label, leaf.data), label=label)
              for label, leaf in zip(labels, Graph(walkthrough(start)).leaves)]
    optimizer, losses = optimizer_class(params, **settings), []
    for _ in range(steps):
        engine = walkthrough({p.label: p.data for p in params})
        for p, leaf in zip(params, Graph(engine).leaves):
            p.grad = leaf.grad
        optimizer.step()
        losses.append(walkthrough({p.label: p.data for p in params}).data)
    return {p.label: p.data for p in params}, losses


@pytest.mark.needs_dot
@pytest.mark.needs_browser
@pytest.mark.parametrize("optimizer, optimizer_class, rate, settings", [
    ("sgd", SGD, 0.5, {}), ("momentum", SGD, 0.5, {"momentum": 0.9}),
    ("adagrad", Adagrad, 0.1, {}), ("adam", Adam, 0.05, {})])
def test_descend_takes_microbp_optims_steps(offline_browser, page, optimizer, optimizer_class, rate, settings):
    driver = load(offline_browser, page)
    for name, value in CHANGED.items():
        driver.execute_script("microbp.set(arguments[0], arguments[1])", name, value)
    losses = driver.execute_script("return microbp.descend(5, arguments[0], arguments[1])", rate, optimizer)
    expected, expected_losses = python_descent(optimizer_class, 5, CHANGED, lr=rate, **settings)
    exact = optimizer != "adam"             # Adam's bias correction uses Math.pow: within an ulp or so
    for label, value in expected.items():
        shown = driver.execute_script("return microbp.get(arguments[0]).data", label)
        assert shown == value if exact else close(shown, value), label
    assert all(close(a, b) for a, b in zip(losses, expected_losses)) and len(losses) == 5
    assert expected_losses[-1] < walkthrough(CHANGED).data      # it descends


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_stepping_shows_values_then_gradients(offline_browser, page):
    driver = load(offline_browser, page)
    driver.find_element("id", "next").click()
    first = driver.execute_script("return [document.getElementById('caption').textContent,"
                                  " Array.from(document.querySelectorAll('#picture .cell')).map((c) => c.textContent)]")
    assert first[0].startswith("forward: ") and "?" in first[1]
    for _ in range(60):
        driver.find_element("id", "next").click()
    caption = driver.find_element("id", "caption").text
    assert caption.startswith("backward: ∂E/∂") and "?" not in "".join(
        driver.execute_script("return Array.from(document.querySelectorAll('#picture .cell')).map((c) => c.textContent)"))


HOSTILE = ['</script><script>window.pwned = 1</script>', "it's \"quoted\"", "javascript:window.pwned = 2"]


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_hostile_labels_reach_the_page_only_as_text(offline_browser, tmp_path):
    a, b = Value(0.5, label=HOSTILE[0]), Value(-2.0, label=HOSTILE[1])
    c = (a * b).tanh()
    c.label = HOSTILE[2]
    path = microbp.live(c, tmp_path / "hostile.html")
    text = Path(path).read_text(encoding="utf-8")
    assert text.count("<script>") == 1 and "<script>window" not in text
    driver = load(offline_browser, path)
    assert driver.execute_script("return window.pwned") is None
    assert set(HOSTILE) <= set(driver.execute_script("return microbp.names()"))
    driver.execute_script("microbp.set(arguments[0], 2)", HOSTILE[0])
    shown = driver.execute_script("return microbp.get(arguments[0])", HOSTILE[2])
    assert close(shown["data"], math.tanh(-4.0))
    assert driver.execute_script("return window.pwned") is None
    assert not driver.find_elements("css selector", "a")


def test_live_refuses_what_it_cannot_write(tmp_path):
    with pytest.raises(ValueError, match=r"live: the file name must end in \.html"):
        microbp.live(Value(1.0), tmp_path / "x.svg")
    with pytest.raises(TypeError, match="live: root must be a Value"):
        microbp.live(1.0, tmp_path / "x.html")


@pytest.mark.needs_dot
def test_the_command_line_writes_a_live_page(tmp_path, capsys):
    from microbp.cli.commands import main

    out = tmp_path / "live.html"
    assert main(["live", "tanh(x*w + b)", "x=2", "w=-3", "b=6.88", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "microbp.descend" in text and text.count('data-kind="data"') >= 4
    assert main(["live", "x*w", "x=2", "w=-3", "--max-nodes", "2", "-o", str(tmp_path / "big.html")]) != 0


def neuron(x1=2.0, x2=0.0, w1=-3.0, w2=1.0, b=6.8813735870195432):
    """The lecture's neuron in the graph view, whose edges carry local derivatives."""
    x1, x2 = Value(x1, label="x1"), Value(x2, label="x2")
    w1, w2, b = Value(w1, label="w1"), Value(w2, label="w2"), Value(b, label="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.label = "o"
    return o


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_a_leaf_changed_by_hand_updates_the_local_derivatives_on_the_edges(offline_browser, tmp_path):
    from selenium.webdriver.common.by import By

    driver = load(offline_browser, microbp.live(neuron(), tmp_path / "neuron.html"))
    leaf = driver.find_element(By.CSS_SELECTOR, '#picture .cell[data-kind="data"][data-node="1"]')
    name = driver.execute_script("return microbp.names()[1]")
    leaf.click()
    assert driver.find_element(By.CSS_SELECTOR, "#editor h2").text == f"leaf {name}"
    box = driver.find_element(By.CSS_SELECTOR, '#editor input[type="number"]')
    box.clear()
    box.send_keys("0.25\n")
    assert box.get_attribute("value") == "0.25"           # the same box: the editor is not rebuilt under the typing
    assert driver.execute_script("return microbp.get(arguments[0]).data", name) == 0.25
    values = {label: driver.execute_script("return microbp.get(arguments[0]).data", label)
              for label in ("x1", "x2", "w1", "w2", "b")}
    engine = Graph(neuron(**values)).order                  # the engine's local derivatives at the new values
    cells = driver.execute_script("return Array.from(document.querySelectorAll('#picture .cell[data-kind=\"local\"]'))"
                                  ".map((c) => [Number(c.dataset.node), Number(c.dataset.arg), c.textContent])")
    assert len(cells) >= 4 and any(text != "1" for _, _, text in cells)
    for index, arg, text in cells:
        assert text == format(engine[index].local_grads[arg], ".4g")


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_a_value_outside_the_domain_is_refused_with_the_engines_message(offline_browser, tmp_path):
    x = Value(2.0, label="x")
    y = x.log()
    y.label = "y"
    driver = load(offline_browser, microbp.live(y, tmp_path / "log.html"))
    message = driver.execute_script("try { microbp.set('x', -1); return null; } catch (e) { return e.message; }")
    assert message.startswith("log: needs x > 0")
    assert driver.execute_script("return microbp.get('x').data") == 2.0


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_fixed_leaves_stay_while_the_others_descend(offline_browser, tmp_path):
    page = microbp.live(demo.walkthrough_network(backward=False), tmp_path / "fixed.html", fixed=("y0",))
    driver = load(offline_browser, page)
    assert driver.execute_script("return microbp.fixed()") == ["y0"]
    driver.execute_script("microbp.fix('w35'); microbp.descend(5, 0.5, 'sgd')")
    labels = [label for label in leaf_labels() if label not in ("y0", "w35")]
    params = {label: Value(demo.WEIGHTS[(label[1], label[2])], label=label) for label in labels}
    optimizer = SGD(list(params.values()), lr=0.5)
    for _ in range(5):
        engine = walkthrough({label: p.data for label, p in params.items()})
        for leaf in Graph(engine).leaves:
            if leaf.label in params:
                params[leaf.label].grad = leaf.grad
        optimizer.step()
    for label, p in params.items():
        assert driver.execute_script("return microbp.get(arguments[0]).data", label) == p.data
    assert driver.execute_script("return [microbp.get('y0').data, microbp.get('w35').data]") == [1.0, 1.1]
    with pytest.raises(ValueError, match="live: fixed names leaves by label; 'w99' is none of"):
        microbp.live(demo.walkthrough_network(backward=False), tmp_path / "x.html", fixed=("w99",))


SEEDS = ("w35", "w13")


def engine_tangents(values: dict, seed: str) -> tuple:
    """(the engine's graph, every node's tangent along ``seed``: ``microbp.jvp`` of that node)."""
    engine = Graph(walkthrough(values))
    leaf = next(leaf for leaf in engine.leaves if leaf.label == seed)
    return engine, [microbp.jvp(node, [leaf], [1.0])[1] for node in engine.order]


def assert_page_tangents_are_the_engines(driver, values: dict, seed: str):
    engine, expected = engine_tangents(values, seed)
    driver.execute_script("microbp.forwardMode(arguments[0])", seed)
    shown = driver.execute_script("return microbp.names().map((n) => microbp.get(n).tangent)")
    direct = driver.execute_script("return microbp.names().map((n) => microbp.tangent(n, arguments[0]))", seed)
    assert len(shown) == len(expected) and shown == direct
    assert any(t != 0 for t in expected[:-1]) and expected[-1] != 0
    for name, page_tangent, tangent in zip(driver.execute_script("return microbp.names()"), shown, expected):
        assert close(page_tangent, tangent), (seed, name, page_tangent, tangent)
    cells = driver.execute_script("return Array.from(document.querySelectorAll('#picture .cell[data-kind=\"grad\"]'))"
                                  ".map((c) => [Number(c.dataset.node), c.textContent])")
    assert cells and all(text == format(expected[index], ".4g") for index, text in cells)
    rows = driver.execute_script("return Array.from(document.querySelectorAll('#values tbody tr'))"
                                 ".map((r) => r.children[2].textContent)")
    assert rows == [format(t, ".4g") for t in expected]
    assert driver.execute_script("return document.querySelector('#values th.rate').textContent") == f"tangent ṅ = dn/d{seed}"


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_forward_mode_shows_the_engines_tangents_for_two_seeds_and_after_a_change(offline_browser, page):
    driver = load(offline_browser, page)
    for seed in SEEDS:
        assert_page_tangents_are_the_engines(driver, {}, seed)
    for name, value in CHANGED.items():
        driver.execute_script("microbp.set(arguments[0], arguments[1])", name, value)
    for seed in SEEDS:
        assert_page_tangents_are_the_engines(driver, CHANGED, seed)
    driver.execute_script("microbp.forwardMode(null)")
    assert "tangent" not in driver.execute_script("return microbp.get('E')")
    assert driver.execute_script("return document.querySelector('#values th.rate').textContent") == "gradient"


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_the_mode_select_offers_backward_and_each_leaf_and_steps_the_forward_pass(offline_browser, page):
    from selenium.webdriver.support.ui import Select

    driver = load(offline_browser, page)
    select = Select(driver.find_element("id", "mode"))
    options = [option.text for option in select.options]
    assert options == ["backward (gradients)"] + [f"forward (tangents) as {label} moves" for label in leaf_labels()]
    select.select_by_visible_text("forward (tangents) as w35 moves")
    assert driver.execute_script("return microbp.seed()") == "w35"
    engine, expected = engine_tangents({}, "w35")
    assert driver.execute_script("return microbp.get('E').tangent") == pytest.approx(expected[-1], rel=1e-12)
    driver.find_element("id", "next").click()
    assert driver.find_element("id", "counter").text == f"1 / {len(engine.order) - len(engine.leaves)}"
    assert "/dw35 = " in driver.find_element("id", "caption").text
    message = driver.execute_script("try { microbp.tangent('E', 'nope'); } catch (e) { return e.message; }")
    assert message.startswith("microbp.tangent: no node is called \"nope\"")


def arithmetic(x=1.5, y=-0.7, z=2.25):
    """A graph of + − × ÷ √ only, with a node reached twice and a zero local derivative (× 0)."""
    x, y, z = Value(x, label="x"), Value(y, label="y"), Value(z, label="z")
    s = (x * x + z).sqrt()
    out = (x * y - x / y + s * 0.0) / (s - y) + (z - x) * s
    out.label = "out"
    return out


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_forward_mode_is_bit_for_bit_on_arithmetic(offline_browser, tmp_path):
    driver = load(offline_browser, microbp.live(arithmetic(), tmp_path / "arithmetic.html"))
    for values in ({}, {"x": -0.3, "z": 5.5}):
        for name, value in values.items():
            driver.execute_script("microbp.set(arguments[0], arguments[1])", name, value)
        engine = Graph(arithmetic(**values))
        for leaf in engine.leaves:
            shown = driver.execute_script("return microbp.names().map((n) => microbp.tangent(n, arguments[0]))",
                                          leaf.label)
            assert shown == [microbp.jvp(node, [leaf], [1.0])[1] for node in engine.order], leaf.label


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_f_puts_the_picture_alone_on_the_screen(offline_browser, page):
    from selenium.webdriver.common.action_chains import ActionChains

    driver = load(offline_browser, page)
    ActionChains(driver).send_keys("f").perform()
    assert driver.execute_script("return document.fullscreenElement && document.fullscreenElement.id") == "picture"
    width, height, svg_width, svg_height = driver.execute_script(
        "const box = document.querySelector('#picture svg').getBoundingClientRect();"
        "return [innerWidth, innerHeight, box.width, box.height]")
    assert svg_width > 0.9 * width or svg_height > 0.9 * height      # as large as it fits, one way or the other
    ActionChains(driver).send_keys("f").perform()
    assert driver.execute_script("return document.fullscreenElement") is None


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_printing_gives_the_picture_on_a_page_then_the_table_without_the_controls(offline_browser, page):
    import base64

    driver = load(offline_browser, page)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = driver.execute_script(
            "const display = (id) => getComputedStyle(document.getElementById(id)).display;"
            "return {editor: display('editor'), descent: display('descent'), table: display('values'),"
            " picture: document.querySelector('#picture svg').getBoundingClientRect().height / innerHeight,"
            " rows: document.querySelectorAll('#values tbody tr').length,"
            " breaks: getComputedStyle(document.getElementById('picture')).breakAfter}")
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert shown["editor"] == shown["descent"] == "none" and shown["table"] == "table"
    assert shown["picture"] > 0.8 and shown["breaks"] == "page" and shown["rows"] == len(Graph(walkthrough({})).order)
    pdf = base64.b64decode(driver.print_page())
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 2                # the picture's page, then the table's


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_a_node_used_twice_by_one_node_gets_one_term_per_use_in_the_backward_caption(offline_browser, tmp_path):
    x = Value(0.5, label="x")
    y = x * x
    y.label = "y"
    y.backward()
    path = microbp.live(y, tmp_path / "square.html")
    offline_browser.get("about:blank")
    offline_browser.get(f"file://{path}#step=3")              # y's forward, y's backward, then x's backward
    caption = offline_browser.execute_script("return document.getElementById('caption').textContent")
    numbers = caption.split(" = ")[-2].split(" + ")
    assert caption.startswith("backward: ∂y/∂x = ") and numbers == ["0.5 × 1", "0.5 × 1"]
    assert caption.endswith(f"= {x.grad:g}")                  # 0.5 × 1 + 0.5 × 1 = 1 = 2x


@pytest.mark.needs_dot
def test_a_text_whose_words_depend_on_the_numbers_is_derived_never_another_nodes_cell():
    """The layers view names dE/dW's largest entry (``w₁₄,₃₁ = −0.8646``): the weight is chosen by the numbers,
    so the page cannot keep that text true as values change. It is greyed once they do (``derived``), never
    made a cell showing whichever weight the marker drawing happened to name."""
    from microbp.lecture.live_picture import live_svg
    from microbp.losses import mse
    from microbp.nn import MLP

    model = MLP(2, [16, 16, 1], seed=0)
    error = mse([model([0.5, -1.0])], [1.0])
    error.backward()
    largest = {w.name: w.node.grad for w in Network.of(error).weights}
    svg = live_svg(error, "auto", "live")
    named = [text for text in re.findall(r"<text[^>]*>(?:(?!</text>).)*</text>", svg) if re.search(r">w\S+ = ", text)]
    assert len(named) == 3 and all('class="derived"' in text and "<tspan" not in text for text in named)
    for text in named:          # each names its layer's largest |dE/dw|, as the engine computed it
        name = re.search(r">(w\S+) = ", text)[1]
        assert abs(largest[name]) > 0
