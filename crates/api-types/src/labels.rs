//! Label selectors in their string form (`app=web,tier in (fe,be),!canary`): parse, match, print.
