"""A PowerPoint movie that starts when its slide is shown, written as PowerPoint writes "Start: Automatically".

python-pptx adds a movie with its media node only (``p:video``), which PowerPoint plays on a click on
the movie. PowerPoint's automatic start is an effect of the slide's main sequence: a ``playFrom(0.0)``
call on the movie's shape (``presetClass="mediacall"``), in the sequence's first group, which begins
with the slide (``onBegin`` of the main sequence).
"""
from __future__ import annotations

from lxml import etree

P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS = {"p": P}


def _xpath(element, query: str) -> list:
    return etree.XPath(query, namespaces=NS)(element)


def _ids(sld):
    """Unused ``p:cTn`` ids of the slide, in order (a slide's time nodes need unique ids)."""
    n = max((int(i) for i in _xpath(sld, ".//p:timing//p:cTn/@id")), default=0)
    while True:
        n += 1
        yield str(n)


def _node(tag: str, **attrs) -> etree._Element:
    return etree.Element(f"{{{P}}}{tag}", attrs, nsmap={"p": P})


def _child(parent, tag: str, **attrs) -> etree._Element:
    return etree.SubElement(parent, f"{{{P}}}{tag}", attrs)


def _main_sequence(root_list, ids) -> etree._Element:
    """The ``p:childTnLst`` of the slide's main sequence, made (first of the root's time nodes) if missing."""
    found = _xpath(root_list, "./p:seq/p:cTn[@nodeType='mainSeq']/p:childTnLst")
    if found:
        return found[0]
    seq = _node("seq", concurrent="1", nextAc="seek")
    children = _child(_child(seq, "cTn", id=next(ids), dur="indefinite", nodeType="mainSeq"), "childTnLst")
    for conditions, event in (("prevCondLst", "onPrev"), ("nextCondLst", "onNext")):
        _child(_child(_child(seq, conditions), "cond", evt=event, delay="0"), "tgtEl").append(_node("sldTgt"))
    root_list.insert(0, seq)
    return children


def play_on_entry(sld, shape_id: str, seconds: float, loop: bool = False) -> None:
    """Make the movie ``shape_id`` on slide ``sld`` (a ``p:sld``) start when the slide is shown, and loop if asked.

    A movie that already has a play effect in the main sequence (the lecturer's, or an earlier run's)
    keeps it. ``seconds``: the movie's length (the effect's duration, as PowerPoint writes it).
    """
    media = _xpath(sld, f".//p:timing//p:video/p:cMediaNode[p:tgtEl/p:spTgt/@spid='{shape_id}']/p:cTn")
    if not media:
        raise ValueError(f"no movie with shape id {shape_id} on this slide")
    if loop:
        media[0].set("repeatCount", "indefinite")
    root_list = media[0].getparent().getparent().getparent()  # p:cTn < p:cMediaNode < p:video < p:childTnLst
    ids = _ids(sld)
    sequence = _main_sequence(root_list, ids)
    if _xpath(sequence, f".//p:cmd[starts-with(@cmd, 'playFrom')]//p:spTgt[@spid='{shape_id}']"):
        return
    first = _xpath(sequence, "./p:par[1]/p:cTn[p:stCondLst/p:cond[@evt='onBegin']]/p:childTnLst/p:par[1]"
                             "/p:cTn/p:childTnLst")
    if first:  # the slide's first group already starts with it: play alongside
        effects, node_type = first[0], "withEffect"
    else:  # a new first group, begun with the slide: the lecturer's click groups follow it
        group = _node("par")
        sequence.insert(0, group)
        group_node = _child(group, "cTn", id=next(ids), fill="hold")
        conditions = _child(group_node, "stCondLst")
        _child(conditions, "cond", delay="indefinite")
        _child(_child(conditions, "cond", evt="onBegin", delay="0"), "tn",
               val=_xpath(sequence, "../@id")[0])
        step = _child(_child(_child(group_node, "childTnLst"), "par"), "cTn", id=next(ids), fill="hold")
        _child(_child(step, "stCondLst"), "cond", delay="0")
        effects, node_type = _child(step, "childTnLst"), "afterEffect"
    effect = _child(_child(effects, "par"), "cTn", id=next(ids), presetID="1", presetClass="mediacall",
                    presetSubtype="0", fill="hold", nodeType=node_type)
    _child(_child(effect, "stCondLst"), "cond", delay="0")
    behaviour = _child(_child(_child(effect, "childTnLst"), "cmd", type="call", cmd="playFrom(0.0)"), "cBhvr")
    _child(behaviour, "cTn", id=next(ids), dur=str(max(1, round(seconds * 1000))), fill="hold")
    _child(_child(behaviour, "tgtEl"), "spTgt", spid=str(shape_id))
