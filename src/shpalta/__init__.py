"""Shpalta: a news publishing platform for Ukrainian-language newsrooms."""
