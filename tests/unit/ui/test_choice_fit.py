"""The heights of a question's answer buttons: full while they fit, shrunk evenly towards their words when not."""

from kiosk.ui.choice_list import fitted_heights


def test_buttons_keep_the_full_height_while_they_fit():
    assert fitted_heights([80.0, 80.0, 80.0], 150.0, 500.0, 32.0) == [150.0, 150.0, 150.0]


def test_one_line_answers_give_up_room_before_a_two_line_one():
    heights = fitted_heights([80.0, 80.0, 140.0, 80.0], 150.0, 500.0, 30.0)   # 470 px for the four
    assert [round(h, 3) for h in heights] == [110.0, 110.0, 140.0, 110.0]


def test_a_list_that_cannot_fit_keeps_each_button_at_its_floor():
    floors = [80.0, 140.0, 80.0, 80.0, 80.0, 80.0]
    assert fitted_heights(floors, 150.0, 400.0, 50.0) == floors


def test_a_floor_above_the_full_height_is_kept():
    assert fitted_heights([200.0, 80.0], 150.0, 1000.0, 10.0) == [200.0, 150.0]
