"""The rule game's words on screen (HiddenRuleGame): the slides' own, and what the scene writes about the game."""
from __future__ import annotations

# The slides' words.
RULES_OF_THE_GAME = [
    "You guess a number, if it is a 'good' number,\nI pay you $1, else you pay me $1.",
    "I have a hidden rule to define what is a good number...",
    "Of course I am not telling you my rule",
    "What you can know if you keep buying until you find out the rule",
    "We can assume that my rule does not change",
]
WRITE_ON_THE_BOARD = "Guess what is my rule, write on the board"
YOUR_GUESS = "Pause the video: what is my rule?"  # the slide asked a live class to type it in the chat
NONE_STANDING = "No guess on the board fits every number"
NONE_STRUCK = "None of them crosses out another guess"
AGREE = "Every guess stands or falls by its number above"
# The slide after the game, and what the game shows about it.
FUNDAMENTAL = "Fundamental problem of Neural Networks"
LESSON = [
    "The numbers ruled {out} guesses out.",
    "They cannot prove the rule that is left:",
    "'{rival}' also fits every number so far:",  # mathcore's rival rule, its sorting and the tie-breaker below
    "the next number may tell them apart:",
    "A network trained on data is such a survivor:",
    "it fits its data; the data never prove it right.",
]
NO_RIVAL = ["another rule may fit every number,", "and the next number may break it."]
BRIDGE = ["So far: how to go downhill on a cost", "Now: what can data tell us at all?"]
RULE_MARKS = ["dollar", "hidden", "telling", "buying", "fixed"]  # where the voice says each rule of the game
LESSON_MARKS = [None, "prove", "another", "next", "trained", "never"]  # and each line of the lesson

COUNTS = ("One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten")


def cases_heading(struck: int, standing: int) -> str:
    """Above the strikes an eye may miss ("Three more guesses the numbers strike") and the guesses no number
    strikes."""
    def n(count: int) -> str:
        return COUNTS[count - 1] if 0 < count <= len(COUNTS) else str(count)

    said = [f"{n(struck)} more {'guess' if struck == 1 else 'guesses'} the numbers strike"] if struck else []
    if standing:
        said.append(f"{n(standing)} {'stands' if standing == 1 else 'stand'}" if struck
                    else f"{n(standing)} {'guess' if standing == 1 else 'guesses'} no number strikes")
    return "; ".join(said[:1] + [s.lower() for s in said[1:]])
