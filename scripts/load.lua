-- wrk script for scripts/load.sh: mixed CORS traffic against the demo API, one kind after the
-- other on each connection. Every answer is classified by what it must look like; anything else
-- is counted as unexpected.
local page = os.getenv("LOAD_PAGE_ORIGIN") or "http://127.0.0.1:8080"
local admin = "http://localhost:8080"
local evil = "https://evil.example"

local kinds = {
  -- name, method, path, headers
  { "allowed GET", "GET", "/api/items/1", { ["Origin"] = page } },
  { "refused GET", "GET", "/api/items/1", { ["Origin"] = evil } },
  { "preflight PUT", "OPTIONS", "/api/items/1", {
      ["Origin"] = page,
      ["Access-Control-Request-Method"] = "PUT",
      ["Access-Control-Request-Headers"] = "content-type,x-api-key" } },
  { "refused preflight", "OPTIONS", "/api/items/1", {
      ["Origin"] = evil, ["Access-Control-Request-Method"] = "PUT" } },
  { "no Origin", "GET", "/api/items/2", {} },
  { "admin preflight DELETE", "OPTIONS", "/api/items/1", {
      ["Origin"] = admin, ["Access-Control-Request-Method"] = "DELETE" } },
}

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  i = 0
  ok200, ok204, ok403, unexpected = 0, 0, 0, 0
  reqs = {}
  for n, k in ipairs(kinds) do
    reqs[n] = wrk.format(k[2], k[3], k[4])
  end
end

function request()
  i = i % #reqs + 1
  return reqs[i]
end

function response(status, headers, body)
  local acao = headers["Access-Control-Allow-Origin"] or headers["access-control-allow-origin"]
  local vary = headers["Vary"] or headers["vary"]
  if status == 200 and vary ~= nil then
    ok200 = ok200 + 1
  elseif status == 204 and acao ~= nil then
    ok204 = ok204 + 1
  elseif status == 403 and acao == nil then
    ok403 = ok403 + 1
  else
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local a, b, c, u = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("ok200")
    b = b + t:get("ok204")
    c = c + t:get("ok403")
    u = u + t:get("unexpected")
  end
  -- errors.status counts the expected 403s too, so it is left out here.
  io.write(string.format("STATUS 200=%d 204=%d 403=%d unexpected=%d socket_errors=%d\n",
    a, b, c, u,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
