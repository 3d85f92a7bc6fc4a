-- luacheck's settings for the Lua library (packages/store/lua), checked as Redis loads it: one
-- chunk, after the header library.ts generates (scripts/lint-lua.mjs).
std = 'lua51'
-- What Redis gives a function beyond Lua 5.1's standard library.
read_globals = { 'redis', 'cjson' }
max_line_length = 110
