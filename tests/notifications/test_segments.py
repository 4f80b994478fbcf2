from skranke.notifications.segments import count_segments


def test_danish_letters_are_in_the_gsm_alphabet() -> None:
    count = count_segments("Hej Søren. Din tid på Rådhuset er ændret. Åbent kl. 10.")
    assert count.encoding == "GSM-7"
    assert count.segments == 1


def test_a_gsm_text_fills_160_places_then_splits_in_153() -> None:
    assert count_segments("æ" * 160).segments == 1
    assert count_segments("æ" * 161).segments == 2
    assert count_segments("ø" * 306).segments == 2
    assert count_segments("å" * 307).segments == 3


def test_extension_characters_take_two_places() -> None:
    count = count_segments("€" * 80)
    assert (count.encoding, count.units, count.segments) == ("GSM-7", 160, 1)
    assert count_segments("€" * 81).segments == 2


def test_one_character_outside_gsm_makes_the_whole_text_ucs2() -> None:
    text = "Hej Łukasz, din tid er bekræftet."  # Ł is not in GSM 03.38
    count = count_segments(text)
    assert count.encoding == "UCS-2"
    assert count.units == len(text)
    assert count_segments("ł" * 70).segments == 1
    assert count_segments("ł" * 71).segments == 2
    assert count_segments("ł" * 134).segments == 2
    assert count_segments("ł" * 135).segments == 3


def test_typographic_quotes_and_emoji_are_not_gsm() -> None:
    assert count_segments("Vi ses “i morgen”").encoding == "UCS-2"
    smile = count_segments("😀")
    assert (smile.encoding, smile.units) == ("UCS-2", 2)  # a surrogate pair


def test_an_empty_text_is_no_segment() -> None:
    assert count_segments("").segments == 0
