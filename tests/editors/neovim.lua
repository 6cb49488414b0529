-- Drives `okra lsp` from Neovim's built-in client, headless, the way a
-- team lead's editor would: open an objective, make a typo, and ask for
-- hover, completion and a definition. Writes one line per finding to
-- $OKRA_REPORT, then quits.
--
--   OKRA_BIN=… OKRA_SITE=… OKRA_REPORT=… nvim --headless -u NONE -l neovim.lua
--   (Neovim 0.7: nvim --headless -u NONE -c "luafile neovim.lua")
local okra, site, out = vim.env.OKRA_BIN, vim.env.OKRA_SITE, vim.env.OKRA_REPORT
local report = {}
local function say(line) table.insert(report, line) end
local function finish()
  vim.fn.writefile(report, out)
  vim.cmd("qa!")
end

local ok, failure = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(site .. "/objectives/2026-q3/support-efficiency.md"))
  local buf = vim.api.nvim_get_current_buf()
  local client = vim.lsp.start_client({ name = "okra", cmd = { okra, "lsp", site }, root_dir = site })
  vim.lsp.buf_attach_client(buf, client)
  vim.wait(10000, function()
    local c = vim.lsp.get_client_by_id(client)
    return c ~= nil and c.initialized
  end)
  say("initialized")

  -- A typo in the owner, typed into the buffer and not saved.
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  for i, line in ipairs(lines) do
    if line == 'owner = "support"' then
      vim.api.nvim_buf_set_lines(buf, i - 1, i, false, { 'owner = "suport"' })
    end
  end
  local found = vim.wait(10000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == "unknown-team" then
        say(string.format("diagnostic %s at %d:%d-%d", d.code, d.lnum, d.col, d.end_col))
        return true
      end
    end
    return false
  end)
  if not found then say("no diagnostic") end

  local uri = vim.uri_from_bufnr(buf)
  local function request(method, line, character)
    local params = { textDocument = { uri = uri }, position = { line = line, character = character } }
    local answers = vim.lsp.buf_request_sync(buf, method, params, 10000) or {}
    for _, answer in pairs(answers) do
      if answer.result then return answer.result end
    end
  end

  -- Hover on `delight-customers` (line 4, `parent = "delight-customers"`).
  local hover = request("textDocument/hover", 4, 12)
  if hover and hover.contents and hover.contents.value then
    say("hover " .. hover.contents.value:gsub("\n", " "))
  end
  -- Completion inside the owner's quotes.
  local completion = request("textDocument/completion", 2, 11)
  local items = completion and (completion.items or completion) or {}
  for _, item in ipairs(items) do
    if item.label == "support" then say("completion support: " .. (item.detail or "")) end
  end
  -- Definition of the first key result's KPI (its `kpi = "tickets-per-customer"`
  -- line, found by its text; LSP counts lines from 0).
  local kpi_line = vim.fn.search('^kpi = "tickets', "nw") - 1
  local definition = request("textDocument/definition", kpi_line, 10)
  if definition then
    local target = definition.uri or (definition[1] and definition[1].uri)
    say("definition " .. tostring(target))
  end
end)
if not ok then say("error " .. tostring(failure)) end
finish()
