from eventcoder.classify.names import NAME, mask_names


def test_names_inside_a_sentence_are_masked():
    assert mask_names("Rebels attacked Kidal and Gao.") == f"Rebels attacked {NAME} and {NAME}."


def test_names_first_in_a_sentence_keep_their_form():
    text = "Police fired tear gas. Protesters fled. Soldiers said: Troops will stay."
    assert mask_names(text) == text


def test_names_lower_case_words_and_numbers_are_kept():
    assert mask_names("the BNP torched 3 buses in Dhaka") == f"the {NAME} torched 3 buses in {NAME}"
