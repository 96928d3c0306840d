"""The on-screen pinyin input method: dictionary engine (no Kivy), its build step, and the keyboard widget."""
