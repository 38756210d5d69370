import re

from techbridge.reports import charts


def xs(svg: str, tag: str) -> list[float]:
    return [float(x) for x in re.findall(rf'<{tag} x="([\d.]+)"', svg)]


def test_bars_scale_to_the_largest_value_and_carry_their_labels():
    svg = charts.bar_chart(title="Supply", categories=["Agriculture", "Energy"], series=[("Offers", [2, 4])])
    assert svg.startswith("<svg") and "<title>Supply</title>" in svg
    widths = [float(w) for w in re.findall(r'width="([\d.]+)" height="12', svg)]
    assert widths == [180.0, 360.0]  # 360 px of room: 4 fills it, 2 half of it
    assert ">Agriculture<" in svg and ">Energy<" in svg and ">4<" in svg


def test_right_to_left_mirrors_the_layout():
    ltr = charts.bar_chart(title="t", categories=["زراعت"], series=[("پیشکشیں", [3])])
    rtl = charts.bar_chart(title="t", categories=["زراعت"], series=[("پیشکشیں", [3])], rtl=True)
    label_ltr = re.search(r'<text x="([\d.]+)"[^>]*text-anchor="(\w+)"[^>]*>زراعت<', ltr).groups()
    label_rtl = re.search(r'<text x="([\d.]+)"[^>]*text-anchor="(\w+)"[^>]*>زراعت<', rtl).groups()
    assert label_ltr == ("202.0", "end")
    assert label_rtl == (f"{charts.WIDTH - 202:.1f}", "start")  # on the right, reading into the chart
    bar_ltr, bar_rtl = xs(ltr, "rect")[-1], xs(rtl, "rect")[-1]
    assert bar_ltr == charts.LABEL_WIDTH and bar_rtl < charts.WIDTH - charts.LABEL_WIDTH


def test_labels_are_escaped():
    svg = charts.funnel_chart(title='A "quoted" <title>', stages=[("R&D <b>", 1)])
    assert (
        "<b>" not in svg
        and "R&amp;D &lt;b&gt;" in svg
        and 'aria-label="A &quot;quoted&quot; &lt;title&gt;"' in svg
    )
