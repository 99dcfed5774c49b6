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
HALF_MARKS = {"another": ["wins", "losses"], "next": [None, "but"]}  # and the two halves under a line (None: at once)
NO_DIVISOR = "(no rule 'divisible by d' fits them all here)"

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


def lesson_halves(rival, rule, reveals) -> list[list[str]]:
    """Under the lesson's rival line: how the rival (mathcore's ``rulegame.rival``) sorts the wins; the losses.
    Under the next: what it says of the number that tells them apart, but what the hidden ``rule`` says.
    Without a rival, why not."""
    if not rival:
        return [[NO_DIVISOR], []]
    wins, _, losses = rival.sorts(reveals).partition("; ")
    return [[wins + ";", losses] if losses else [wins], [rival.rule.fact(rival.apart) + ",",
                                                         f"but {rule.fact(rival.apart)}"]]


def rival_said(rival, rule, reveals) -> str:
    """The voice's words for those lines, each half at its mark as it appears: the numbers are on screen while it
    is said (read out, the sorting alone held one picture still for 21 s)."""
    if not rival:
        return ("No rule [[another]]'divisible by d' fits these numbers so well, yet another kind of rule may, "
                "and [[next]]the next number may break it.")
    sorting, (rival_says, rule_says) = lesson_halves(rival, rule, reveals)
    said = f"[[wins]]every win is divisible by {rival.divisor}" + (", [[losses]]and no loss is" if len(sorting) > 1
                                                                    else "")
    return (f"Another rule, [[another]]{rival.name}, also fits every number so far: {said}. The next number "
            f"[[next]]may tell them apart: {rival_says} [[but]]{rule_says}.")
