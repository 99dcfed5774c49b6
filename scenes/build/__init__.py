"""``lecture build``: the joined lecture, its captions, the slide deck, clips to embed and an index page."""
