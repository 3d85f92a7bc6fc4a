-- The waiting queue, split into buckets by everything a profile filter looks at: own gender,
-- wanted gender, language, language filter, age band and the bands of the accepted age range
-- ('m:any:fa:s:b:ad': a man of 25-34 who wants anyone speaking Persian, aged 18-99). Ranges are
-- whole bands (ADULT_RANGES in packages/domain; minors always 13-17), so a bucket's members
-- either all accept a finder on profile terms or none does: a Find reads only the candidate
-- buckets, and in each the first member that passes the per-person checks (not themselves, not
-- blocked, not a recent partner) is the longest-waiting one it may meet. Each bucket's waiting
-- range parts are listed in 'qr:<gender:wants:lang:filter:band>', so a Find reads the few
-- ranges present instead of every possible one.
local BAND_AT = {}
for i = 1, #BANDS do BAND_AT[BANDS[i][1]] = i end

local function bandOf(age)
  for _, b in ipairs(BANDS) do if age >= b[2] and age <= b[3] then return b[1] end end
  return BANDS[1][1]
end

-- A widened user accepts any age of their group and any language.
local function rangeOf(p)
  local age = tonumber(p.age)
  local lo, hi = 0, ADULT - 1
  if age >= ADULT then lo, hi = ADULT, AGEMAX end
  if p.wd == '1' then return lo, hi end
  return math.max(lo, tonumber(p.amin) or lo), math.min(hi, tonumber(p.amax) or hi)
end

local function langFilter(p) if p.xl == 's' and p.wd ~= '1' then return 's' end return 'a' end

-- The first and last band an age range reaches ('ad'), or '-' for an empty one.
local function rangePart(lo, hi)
  local first, last = nil, nil
  for _, b in ipairs(BANDS) do
    if b[3] >= lo and b[2] <= hi then
      first = first or b[1]
      last = b[1]
    end
  end
  if not first then return '-' end
  return first .. last
end

-- Does a bucket's range part accept an age in this band?
local function rangeHas(part, band)
  if part == '-' then return false end
  local at = BAND_AT[band]
  return BAND_AT[string.sub(part, 1, 1)] <= at and at <= BAND_AT[string.sub(part, 2, 2)]
end

local function bucketOf(p)
  return p.gender .. ':' .. p.wants .. ':' .. p.lang .. ':' .. langFilter(p) .. ':' ..
    bandOf(tonumber(p.age)) .. ':' .. rangePart(rangeOf(p))
end

-- A bucket's name without its range part, and the range part.
local function splitBucket(bucket) return string.match(bucket, '^(.*):([^:]*)$') end

-- The buckets, without their range parts, whose members a profile accepts and who accept its
-- gender and language.
local function candidates(p)
  local genders = {p.wants}
  if p.wants == 'any' then genders = {'m', 'f'} end
  local langs = {}
  for _, l in ipairs(LANGS) do
    if l == p.lang then
      langs[#langs + 1] = l .. ':s'
      langs[#langs + 1] = l .. ':a'
    elseif langFilter(p) == 'a' then
      langs[#langs + 1] = l .. ':a'
    end
  end
  local lo, hi = rangeOf(p)
  local bands = {}
  for _, b in ipairs(BANDS) do if b[3] >= lo and b[2] <= hi then bands[#bands + 1] = b[1] end end
  local out = {}
  for _, g in ipairs(genders) do
    for _, w in ipairs({p.gender, 'any'}) do
      for _, l in ipairs(langs) do
        for _, b in ipairs(bands) do out[#out + 1] = g .. ':' .. w .. ':' .. l .. ':' .. b end
      end
    end
  end
  return out
end

-- Every bucket name without its range part, in a fixed order (made by the first call that asks:
-- at load, ipairs is not reachable).
local ALL_BASES = nil
local function allBases()
  if ALL_BASES then return ALL_BASES end
  ALL_BASES = {}
  for _, g in ipairs({'m', 'f'}) do
    for _, w in ipairs({'m', 'f', 'any'}) do
      for _, l in ipairs(LANGS) do
        for _, x in ipairs({'s', 'a'}) do
          for _, b in ipairs(BANDS) do
            ALL_BASES[#ALL_BASES + 1] = g .. ':' .. w .. ':' .. l .. ':' .. x .. ':' .. b[1]
          end
        end
      end
    end
  end
  return ALL_BASES
end

-- The range parts waiting under a bucket name without one.
local function rangesIn(base) return redis.call('SMEMBERS', P .. K.queueRanges .. base) end

-- Which of these buckets (names without range parts) have anyone waiting: one command for all
-- of a Find's candidates, from the set qb of such buckets. qb is built from the qr: sets the
-- first time a Find runs on a keyspace without it (an upgrade from version 1 of the library):
-- every possible bucket is looked at once, and the member '' marks it built. Returns a list of
-- 1 and 0, in the order of `bases`.
local basesBuilt = {}
local function waitingBases(bases)
  local qb = P .. K.queueBases
  if not basesBuilt[P] then
    if redis.call('SISMEMBER', qb, '') == 0 then
      for _, base in ipairs(allBases()) do
        if redis.call('EXISTS', P .. K.queueRanges .. base) == 1 then redis.call('SADD', qb, base) end
      end
      redis.call('SADD', qb, '')
    end
    basesBuilt[P] = true
  end
  if #bases == 0 then return {} end
  return redis.call('SMISMEMBER', qb, unpack(bases))
end

local function queueAdd(bucket, place, me)
  redis.call('ZADD', P .. K.queue .. bucket, place, me)
  local base, part = splitBucket(bucket)
  if redis.call('SADD', P .. K.queueRanges .. base, part) == 1 then
    redis.call('SADD', P .. K.queueBases, base)
  end
end

local function queueRemove(bucket, me)
  local k = P .. K.queue .. bucket
  redis.call('ZREM', k, me)
  if redis.call('ZCARD', k) == 0 then
    local base, part = splitBucket(bucket)
    local rk = P .. K.queueRanges .. base
    redis.call('SREM', rk, part)
    if redis.call('EXISTS', rk) == 0 then redis.call('SREM', P .. K.queueBases, base) end
  end
end
