// Search page (/tim-kiem/): queries Pagefind's index, written by the build after Pelican.
// Pagefind already matches "chao" with "chào" but keeps đ apart from d, and readers type "dang"
// for "Đảng": a word typed with a leading d is also searched with đ, the result lists are merged,
// and when the reader typed accents, results holding those exact words come first.
(() => {
  const form = document.querySelector("[data-search]");
  if (!form) return;

  const PAGE_SIZE = 10;
  const RANKED = 50; // results whose text is read to put exact-accent matches first
  const MAX_VARIANTS = 16;
  const input = form.querySelector("input[name=q]");
  const selects = [...form.querySelectorAll("[data-search-filter]")];
  const status = document.querySelector("[data-search-status]");
  const list = document.querySelector("[data-search-results]");
  const more = document.querySelector("[data-search-more]");
  const bundle = form.dataset.searchBundle;
  let pagefind = null;
  let latest = 0;
  let ranked = [];
  let shown = 0;
  let timer = null;

  for (const note of document.querySelectorAll("[data-search-nojs]")) note.hidden = true;

  // The index comes in shards (one per year of articles, one for the pages), so that a new
  // article re-indexes only its year: the first shard is loaded, the others merged into it.
  const load = async () => {
    if (!pagefind) {
      const shards = await (await fetch(`${bundle}shards.json`)).json();
      const module = await import(`${bundle}${shards[0]}/pagefind.js`);
      // Result URLs start from the site's root, which may be a sub-folder (GitHub Pages).
      const site = new URL(form.dataset.searchSite, window.location.href);
      await module.options({ excerptLength: 30, baseUrl: site.pathname });
      await module.init();
      for (const shard of shards.slice(1)) {
        await module.mergeIndex(`${bundle}${shard}/`, { baseUrl: site.pathname });
      }
      pagefind = module;
    }
    return pagefind;
  };

  // Every spelling to search: a word starting with d may stand for đ ("dang" → "đang").
  const variants = (query) => {
    let forms = [[]];
    for (const word of query.split(/\s+/).filter(Boolean)) {
      const options = /^d/i.test(word) ? [word, (word[0] === "d" ? "đ" : "Đ") + word.slice(1)] : [word];
      const grown = forms.flatMap((form) => options.map((option) => [...form, option]));
      forms = grown.length <= MAX_VARIANTS ? grown : forms.map((form) => [...form, word]);
    }
    return forms.map((words) => words.join(" "));
  };

  const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // Words the reader typed with accents, as patterns that match only that exact spelling.
  const exactPatterns = (query) =>
    query
      .split(/\s+/)
      .filter((word) => /[^\x00-\x7f]/.test(word))
      .map((word) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, "iu"));

  const filterValues = () => {
    const filters = {};
    for (const select of selects) if (select.value) filters[select.dataset.searchFilter] = select.value;
    return filters;
  };

  const remember = () => {
    const params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    for (const select of selects) if (select.value) params.set(select.name, select.value);
    const search = params.toString();
    window.history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
  };

  // Pagefind's excerpt is text with <mark> around matched words: keep exactly that, as nodes.
  const excerptNodes = (html) => {
    const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html").body.firstChild;
    const nodes = [];
    for (const node of parsed.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        nodes.push(mark);
      } else {
        nodes.push(document.createTextNode(node.textContent));
      }
    }
    return nodes;
  };

  const element = (name, className, text) => {
    const node = document.createElement(name);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  };

  const render = (data) => {
    const item = element("li", "bt-search-result");
    const title = element("h2", "bt-search-result__title");
    const link = element("a", "", data.meta.title || data.url);
    link.href = data.url;
    title.append(link);
    item.append(title);
    const facts = element("ul", "bt-meta-list");
    if (data.meta.date) {
      const time = element("time", "", data.meta.date);
      if (data.meta.datetime) time.dateTime = data.meta.datetime;
      const entry = element("li");
      entry.append(time);
      facts.append(entry);
    }
    if (data.meta.unit) facts.append(element("li", "bt-meta-list__unit", data.meta.unit));
    if (facts.childElementCount) item.append(facts);
    const excerpt = element("p", "bt-search-result__excerpt");
    excerpt.append(...excerptNodes(data.excerpt || ""));
    item.append(excerpt);
    return item;
  };

  const showMore = async (focusFirst) => {
    const next = ranked.slice(shown, shown + PAGE_SIZE);
    const items = await Promise.all(next.map(async (entry) => render(entry.data || (await entry.result.data()))));
    list.append(...items);
    shown += next.length;
    more.hidden = shown >= ranked.length;
    if (focusFirst && items.length) items[0].querySelector("a").focus();
  };

  const run = async () => {
    const query = input.value.trim().normalize("NFC");
    const filters = filterValues();
    const token = ++latest;
    remember();
    if (!query && !Object.keys(filters).length) {
      list.replaceChildren();
      list.hidden = true;
      more.hidden = true;
      status.textContent = "";
      return;
    }
    status.textContent = "Đang tìm…";
    let engine;
    try {
      engine = await load();
    } catch {
      status.textContent = "Chưa tải được chỉ mục tìm kiếm. Hãy thử lại sau, hoặc tìm qua Sơ đồ trang và Danh mục thẻ bên dưới.";
      return;
    }
    const options = { filters };
    if (!query) options.sort = { date: "desc" };
    const searches = await Promise.all((query ? variants(query) : [null]).map((term) => engine.search(term, options)));
    if (token !== latest) return; // the reader typed on: a newer search is running
    const best = new Map();
    for (const search of searches) {
      for (const result of search.results) {
        const seen = best.get(result.id);
        if (!seen || result.score > seen.result.score) best.set(result.id, { result, data: null });
      }
    }
    ranked = [...best.values()];
    if (query) ranked.sort((a, b) => b.result.score - a.result.score);
    const patterns = exactPatterns(query);
    if (patterns.length) {
      const head = ranked.slice(0, RANKED);
      await Promise.all(head.map(async (entry) => { entry.data = await entry.result.data(); }));
      if (token !== latest) return;
      const exact = (entry) => {
        const text = `${entry.data.meta.title || ""} ${entry.data.content}`;
        return patterns.filter((pattern) => pattern.test(text)).length;
      };
      for (const entry of head) entry.exact = exact(entry);
      head.sort((a, b) => b.exact - a.exact || b.result.score - a.result.score);
      ranked = [...head, ...ranked.slice(RANKED)];
    }
    list.replaceChildren();
    shown = 0;
    await showMore(false);
    if (token !== latest) return;
    list.hidden = !ranked.length;
    const subject = query ? ` cho “${query}”` : "";
    status.textContent = ranked.length
      ? `Tìm thấy ${ranked.length} kết quả${subject}.`
      : `Không tìm thấy kết quả nào${subject}. Hãy thử từ khóa khác hoặc bỏ bớt bộ lọc.`;
  };

  const fillFilters = async () => {
    const engine = await load();
    const available = await engine.filters();
    for (const select of selects) {
      const counts = available[select.dataset.searchFilter] || {};
      const names = Object.keys(counts);
      if (select.dataset.searchFilter === "year") names.sort((a, b) => b.localeCompare(a));
      else names.sort((a, b) => a.localeCompare(b, "vi"));
      const wanted = select.value;
      select.length = 1; // keep "all", drop the value copied from the address
      for (const name of names) {
        const option = element("option", "", `${name} (${counts[name]})`);
        option.value = name;
        select.append(option);
      }
      if (wanted) select.value = wanted;
    }
    form.querySelector("[data-search-filters]").hidden = false;
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    run();
  });
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 300);
  });
  for (const select of selects) select.addEventListener("change", run);
  more.addEventListener("click", () => showMore(true));

  const params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  for (const select of selects) {
    const value = params.get(select.name);
    if (value) {
      const option = element("option", "", value);
      option.value = value;
      select.append(option);
      select.value = value;
    }
  }
  fillFilters().catch(() => {}); // without filters, search still works
  if (input.value || Object.keys(filterValues()).length) run();
})();
