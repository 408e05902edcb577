-- wrk's script for loading a replica from a separate process with the inference benchmark's bodies: the first ten
-- FER2013 test JPEGs (by name) of each class, POSTed to /predict in turn. A replica to load, serving the bundled model:
--   DOTNET_ReadyToRun=0 ASPNETCORE_URLS=http://127.0.0.1:5099 Inference__Models__File=$PWD/Fer.Trainer/BundledModel/model.onnx \
--     dotnet run -c Release --no-launch-profile --project Fer.Inference
--   wrk -t1 -c32 -d20s -s Fer.Benchmarks/wrk-predict.lua http://127.0.0.1:5099
-- FER_TEST names the test folder (default ../shared/data/fer2013/test, from the repository root).
local root = os.getenv("FER_TEST") or "../shared/data/fer2013/test"
local bodies = {}
local list = io.popen('cd "' .. root .. '" && for c in $(ls | LC_ALL=C sort); do ls "$c" | LC_ALL=C sort | grep jpg | sed -n 1,10p | sed "s|^|$c/|"; done')
for path in list:lines() do
  local file = assert(io.open(root .. "/" .. path, "rb"))
  bodies[#bodies + 1] = file:read("*a")
  file:close()
end
list:close()
assert(#bodies > 0, "no JPEGs under " .. root .. " (set FER_TEST)")

local requests = {}
-- Formatted in init: wrk knows the Host header only then.
init = function(args)
  for i, body in ipairs(bodies) do
    requests[i] = wrk.format("POST", "/predict", { ["Content-Type"] = "image/jpeg" }, body)
  end
end

local sent = 0
request = function()
  sent = sent + 1
  return requests[(sent % #requests) + 1]
end
