/* Bản tin's additions to Decap CMS (plugins/cms): the article header format ("Key: value"
   lines, docs/sieu-du-lieu.md) and the unit registry's TOML, the checks of `make check` in the
   form with its own messages, the figure, gallery and attachment components in the Markdown
   forms the reader knows, and the article preview. What the build knows (messages, units,
   categories, tags, the date line) comes from bantin-data.js as window.BANTIN_CMS. */
(function () {
  'use strict';

  const CMS = window.CMS;
  const DATA = window.BANTIN_CMS;
  const h = window.h;
  const createClass = window.createClass;
  const MESSAGES = DATA.messages || { missing: {} };
  const DATE_KEYS = ['Date', 'Modified', 'EventDate'];
  const CREDIT = 'Ảnh';

  // ---------- text: ports of plugins/vietnamese (tests/test_cms.py compares them) ----------

  const TONES = { '\u0300': '1', '\u0309': '2', '\u0303': '3', '\u0301': '4', '\u0323': '5' };

  function nfc(text) {
    return String(text == null ? '' : text).normalize('NFC');
  }

  /* One line of text: NFC, whitespace (new lines too) collapsed. */
  function oneLine(text) {
    return nfc(text).split(/\s+/).filter(Boolean).join(' ');
  }

  /* match_key: equal for spellings differing in case, NFC/NFD, spacing, dashes or tone placement. */
  function matchKey(text) {
    const dashed = nfc(text).toLowerCase().replace(/[\u2010-\u2015\u2212]/g, '-');
    return dashed.split(/\s+/).filter(Boolean).map((word) => {
      let tones = '';
      let letters = '';
      for (const ch of word.normalize('NFD')) {
        if (TONES[ch]) tones += TONES[ch];
        else letters += ch;
      }
      return nfc(letters) + tones;
    }).join(' ');
  }

  const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
  const VN_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ ,-]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$/;

  /* parse_date: {year, month, day, hour, minute, second, timed} or {error: 'format'|'unreal'}. */
  function parseDate(value) {
    const text = nfc(value).trim();
    let parts = ISO_DATE.exec(text);
    if (parts) parts = [parts[1], parts[2], parts[3], parts[4], parts[5], parts[6]];
    else {
      const vn = VN_DATE.exec(text);
      if (!vn) return { error: 'format' };
      parts = [vn[3], vn[2], vn[1], vn[4], vn[5], vn[6]];
    }
    const [year, month, day, hour, minute, second] = parts.map((p) => (p == null ? 0 : +p));
    const days = new Date(Date.UTC(2000, month, 0));
    days.setUTCFullYear(year, month, 0);
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > days.getUTCDate() ||
        hour > 23 || minute > 59 || second > 59) {
      return { error: 'unreal' };
    }
    return { year, month, day, hour, minute, second, timed: parts[3] != null };
  }

  function pad(number, width) {
    return String(number).padStart(width, '0');
  }

  /* "2024-02-05 08:00" from any accepted form; the text itself when it is not a date. */
  function isoDate(value) {
    const date = parseDate(value);
    if (date.error) return nfc(value).trim();
    const day = `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
    return date.timed ? `${day} ${pad(date.hour, 2)}:${pad(date.minute, 2)}` : day;
  }

  /* date_line: "Thứ năm, ngày 05/09/2019 - 08:30" in the site's DATE_LINE_FORMAT. */
  function dateLine(value, pattern) {
    const date = parseDate(value);
    if (date.error) return '';
    const when = new Date(Date.UTC(2000, 0, 1));
    when.setUTCFullYear(date.year, date.month - 1, date.day);
    const fields = {
      weekday: DATA.weekdays[(when.getUTCDay() + 6) % 7],
      day: pad(date.day, 2),
      month: pad(date.month, 2),
      year: pad(date.year, 4),
      hour: pad(date.hour, 2),
      minute: pad(date.minute, 2),
    };
    let shape = pattern || DATA.dateLine;
    // date_line: a date written without a time never shows "- 00:00".
    if (!date.timed && shape.includes('{hour}')) {
      shape = shape.slice(0, shape.indexOf('{hour}')).replace(/[ \-\u2013,:]+$/, '');
    }
    return shape.replace(/\{(\w+)\}/g, (all, name) =>
      (name in fields ? fields[name] : all));
  }

  function toArray(value) {
    if (value == null || value === '') return [];
    if (typeof value.toJS === 'function') value = value.toJS();
    return Array.isArray(value) ? value : [value];
  }

  // ---------- the article header (docs/sieu-du-lieu.md) ----------

  const HEADER_LINE = /^([A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(.*)$/;
  const FIELDS = DATA.fields;

  /* The unit names of a `Unit:` value: ";" separates; a whole name may hold commas; the old
     comma-separated form is read when its parts are units. */
  function unitNames(value) {
    const text = oneLine(value);
    if (!text) return [];
    if (text.includes(';') || DATA.units[matchKey(text)]) {
      return text.split(';').map((part) => part.trim()).filter(Boolean);
    }
    const parts = text.split(',').map((part) => part.trim()).filter(Boolean);
    return parts.length > 1 && parts.some((part) => DATA.units[matchKey(part)]) ? parts : [text];
  }

  function canonical(table, value) {
    return table[matchKey(value)] || oneLine(value);
  }

  /* A header + body file → the form's data. Fields the form does not show are kept. */
  function parseArticle(text) {
    const lines = nfc(String(text).replace(/^\ufeff/, '').replace(/\r\n?/g, '\n')).split('\n');
    const written = {};
    const extra = [];
    let index = 0;
    let last = null;
    for (; index < lines.length; index += 1) {
      const line = lines[index];
      if (!line.trim()) break;
      const match = HEADER_LINE.exec(line.replace(/\s+$/, ''));
      if (match) {
        const key = match[1].toLowerCase();
        const known = FIELDS.find((field) => field.key.toLowerCase() === key);
        if (known && !(known.name in written)) {
          written[known.name] = match[2];
          last = known.name;
        } else {
          extra.push(line);
          last = null;
        }
      } else if (last && /^[ \t]/.test(line)) {
        written[last] = `${written[last]} ${line.trim()}`;
      } else if (!last && extra.length && /^[ \t]/.test(line)) {
        extra.push(line);
      } else {
        break;
      }
    }
    const data = {};
    for (const field of FIELDS) {
      if (!(field.name in written)) continue;
      const value = written[field.name];
      if (DATE_KEYS.includes(field.key)) {
        data[field.name] = isoDate(value);
      } else if (field.key === 'Unit') {
        data[field.name] = unitNames(value).map((name) => canonical(DATA.units, name));
      } else if (field.key === 'Category') {
        data[field.name] = canonical(DATA.categories, value);
      } else if (field.key === 'Tags') {
        // Tags of the list are chosen in the select; others go to "Thẻ mới", never lost.
        const tags = value.split(',').map(oneLine).filter(Boolean);
        data.tags = tags.filter((t) => DATA.tags[matchKey(t)]).map((t) => DATA.tags[matchKey(t)]);
        data.tags_other = tags.filter((t) => !DATA.tags[matchKey(t)]);
      } else if (field.separator) {
        data[field.name] = value.split(field.separator.trim()).map(oneLine).filter(Boolean);
      } else {
        data[field.name] = oneLine(value);
      }
    }
    if (extra.length) data.header_extra = extra.join('\n');
    data.body = lines.slice(index).join('\n').replace(/^\n+/, '');
    return data;
  }

  /* The form's data → the documented header (one `Key: value` line each, NFC), a blank
     line, the body. */
  function formatArticle(data) {
    const lines = [];
    for (const field of FIELDS) {
      let value = data[field.name];
      if (field.key === 'Tags') value = [...toArray(data.tags), ...toArray(data.tags_other)];
      if (field.separator) {
        // One line per name; a separator inside a name would split it, so it becomes a space.
        const names = new Map();
        for (const item of toArray(value)) {
          const name = oneLine(String(item).split(field.separator.trim()).join(' '));
          if (name && !names.has(matchKey(name))) names.set(matchKey(name), name);
        }
        value = [...names.values()].join(field.separator);
      } else {
        value = oneLine(value);
      }
      if (value) lines.push(`${field.key}: ${value}`);
    }
    if (data.header_extra) {
      lines.push(...nfc(data.header_extra).split('\n').filter((line) => line.trim()));
    }
    const body = nfc(data.body).replace(/\r\n?/g, '\n').replace(/^\n+/, '').replace(/\s+$/, '');
    return `${lines.join('\n')}\n\n${body}\n`;
  }

  // ---------- the unit registry (content/don-vi.toml, docs/don-vi.md) ----------

  const REGISTRY_ORDER = ['name', 'short_name', 'kind', 'parent', 'website', 'description',
    'aliases', 'merged_into', 'renamed_to', 'change_date'];
  const BARE_KEY = /^[A-Za-z0-9_-]+$/;
  const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

  function registryError(line, what) {
    return new Error(
      `content/don-vi.toml dòng ${line}: ${what}; hãy sửa tệp theo docs/don-vi.md`);
  }

  /* The TOML the registry uses: [key] tables of strings, string arrays and dates, comments.
     Anything else is refused rather than misread. */
  function parseRegistry(text) {
    const source = nfc(String(text).replace(/^\ufeff/, '').replace(/\r\n?/g, '\n'));
    let at = 0;
    let line = 1;
    const units = [];
    const comment = [];
    let current = null;

    const peek = () => source[at];
    const next = () => {
      const ch = source[at];
      at += 1;
      if (ch === '\n') line += 1;
      return ch;
    };
    function space(newLines) {
      for (;;) {
        const ch = peek();
        if (ch === ' ' || ch === '\t' || (newLines && ch === '\n')) next();
        else if (ch === '#') {
          const start = at;
          while (at < source.length && peek() !== '\n') next();
          if (!current && !units.length) comment.push(source.slice(start, at));
        } else return;
      }
    }
    function string() {
      const quote = next();
      let out = '';
      for (;;) {
        const ch = next();
        if (ch === undefined || ch === '\n') {
          throw registryError(line, 'chuỗi thiếu dấu ngoặc đóng');
        }
        if (ch === quote) return out;
        if (ch === '\\' && quote === '"') {
          const code = next();
          const simple = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
          if (code in simple) out += simple[code];
          else if (code === 'u' || code === 'U') {
            const digits = source.slice(at, at + (code === 'u' ? 4 : 8));
            at += digits.length;
            out += String.fromCodePoint(parseInt(digits, 16));
          } else throw registryError(line, `ký tự thoát \\${code} không hợp lệ`);
        } else out += ch;
      }
    }
    function value() {
      const ch = peek();
      if (ch === '"' || ch === "'") return string();
      if (ch === '[') {
        next();
        const items = [];
        for (;;) {
          space(true);
          if (peek() === ']') { next(); return items; }
          const item = value();
          if (typeof item !== 'string') throw registryError(line, 'danh sách chỉ gồm chuỗi');
          items.push(item);
          space(true);
          if (peek() === ',') next();
          else if (peek() !== ']') {
            throw registryError(line, 'thiếu dấu phẩy giữa các phần tử');
          }
        }
      }
      const date = /^\d{4}-\d{2}-\d{2}/.exec(source.slice(at));
      if (date) { at += 10; return { date: date[0] }; }
      throw registryError(line,
        'giá trị phải là chuỗi trong ngoặc kép, danh sách chuỗi hoặc ngày');
    }
    for (;;) {
      space(true);
      if (at >= source.length) break;
      if (peek() === '[') {
        next();
        space(false);
        let key;
        if (peek() === '"' || peek() === "'") key = string();
        else {
          key = /^[A-Za-z0-9_-]+/.exec(source.slice(at))?.[0];
          if (key) at += key.length;
        }
        if (!key) throw registryError(line, 'thiếu mã đơn vị trong [ ]');
        space(false);
        if (next() !== ']') throw registryError(line, 'thiếu dấu ] sau mã đơn vị');
        current = { key };
        units.push(current);
      } else {
        const key = /^[A-Za-z0-9_-]+/.exec(source.slice(at))?.[0];
        if (!key || !current) {
          throw registryError(line, 'dòng không phải [mã] hay trường = giá trị');
        }
        at += key.length;
        space(false);
        if (next() !== '=') throw registryError(line, `thiếu dấu = sau ${key}`);
        space(false);
        const item = value();
        current[key] = item && item.date ? item.date : item;
      }
      space(false);
      if (at < source.length && peek() !== '\n') {
        throw registryError(line, 'thừa ký tự cuối dòng');
      }
    }
    const data = { units };
    if (comment.length) data.comment = comment.join('\n');
    return data;
  }

  function tomlString(text) {
    return `"${nfc(text).replace(/[\\"]/g, (ch) => `\\${ch}`)
      .replace(/[\u0000-\u001f\u007f]/g, (ch) => `\\u${pad(ch.charCodeAt(0).toString(16), 4)}`)}"`;
  }

  function formatRegistry(data) {
    const parts = [];
    if (data.comment) parts.push(`${nfc(data.comment).trimEnd()}\n`);
    for (const unit of toArray(data.units)) {
      const lines = [`[${BARE_KEY.test(unit.key) ? unit.key : tomlString(unit.key || '')}]`];
      const keys = [...REGISTRY_ORDER, ...Object.keys(unit).filter((k) =>
        k !== 'key' && !REGISTRY_ORDER.includes(k))];
      for (const key of keys) {
        const value = unit[key];
        if (Array.isArray(value) || (value && typeof value.toJS === 'function')) {
          const items = toArray(value).map(oneLine).filter(Boolean);
          if (items.length) lines.push(`${key} = [${items.map(tomlString).join(', ')}]`);
        } else if (value != null && oneLine(value)) {
          const text = key === 'description' ? oneLine(value) : nfc(value).trim();
          const bare = key === 'change_date' && LOCAL_DATE.test(text);
          lines.push(`${key} = ${bare ? text : tomlString(text)}`);
        }
      }
      parts.push(lines.join('\n'));
    }
    return `${parts.join('\n\n')}\n`;
  }

  // ---------- the checks of `make check`, with its own messages ----------

  function fill(template, value) {
    return template.split(DATA.mark).join(value);
  }

  function isEmpty(value) {
    return toArray(value).every((item) => !String(item == null ? '' : item).trim());
  }

  /* What `make check` would say about this field's value, as its line says it after the file
     and line number; null when it has nothing to say. */
  function problemFor(key, value) {
    const say = (message) => (key && key !== 'body' ? `${key}: ${message}` : message);
    if (isEmpty(value)) {
      if (key === 'body') return MESSAGES.body || null;
      return MESSAGES.missing[key] ? say(MESSAGES.missing[key]) : null;
    }
    if (DATE_KEYS.includes(key)) {
      const template = { format: MESSAGES.date_format, unreal: MESSAGES.date_unreal }[
        parseDate(value).error];
      if (template) return say(fill(template, nfc(value).trim()));
    }
    if (key === 'Unit' && MESSAGES.unit_unknown) {
      const unknown = toArray(value).find((name) => !DATA.units[matchKey(name)]);
      if (unknown) return say(fill(MESSAGES.unit_unknown, oneLine(unknown)));
    }
    if (key === 'Category' && MESSAGES.category_unknown && !DATA.categories[matchKey(value)]) {
      return say(fill(MESSAGES.category_unknown, oneLine(value)));
    }
    return null;
  }

  const vi = JSON.parse(JSON.stringify(CMS.getLocale('vi')));
  const cmsRequired = vi.editor.editorControlPane.widget.required;

  /* Decap's widget with the checks added. A required field's own message of Decap is blanked
     in the locale below (an empty message is not shown), so the editor reads one message: the
     one of `make check`, or Decap's for fields `make check` does not know. */
  function checked(baseName) {
    const base = CMS.getWidget(baseName);
    const Control = base.control;
    const Checked = createClass({
      isValid() {
        const field = this.props.field;
        const key = field.get('bantin_key');
        let message = problemFor(key, this.props.value);
        if (!message && field.get('required') !== false && isEmpty(this.props.value)) {
          message = cmsRequired.replace('%{fieldLabel}', field.get('label', field.get('name')));
        }
        if (message) return { error: { type: 'CUSTOM', message } };
        const inner = this.inner && this.inner.isValid;
        return inner ? inner.call(this.inner) : true;
      },
      // Decap asks the control whether to re-render (a media control waits for mediaPaths).
      shouldComponentUpdate(next) {
        const inner = this.inner;
        if (inner && inner.shouldComponentUpdate) return inner.shouldComponentUpdate(next);
        return next.value !== this.props.value || next.mediaPaths !== this.props.mediaPaths ||
          next.classNameWrapper !== this.props.classNameWrapper ||
          next.hasActiveStyle !== this.props.hasActiveStyle;
      },
      render() {
        const ref = (inner) => { this.inner = inner; };
        return h(Control, Object.assign({}, this.props, { ref }));
      },
    });
    CMS.registerWidget({
      name: `bt-${baseName}`,
      controlComponent: Checked,
      previewComponent: base.preview,
      schema: base.schema,
      globalStyles: base.globalStyles,
      allowMapValue: base.allowMapValue,
    });
  }

  // ---------- figures, galleries and attachments (docs/anh-va-tep.md) ----------

  const PHOTO = '!\\[([^\\]\\n]*)\\]\\(\\{static\\}([^)\\s]*)\\)(?:\\n\\*([^\\n]*)\\*)?';
  const AFTER_BLOCK = '(?=\\n[ \\t]*\\n|\\s*$)';
  const PHOTO_GLOBAL = new RegExp(PHOTO, 'g');

  function fileName(path) {
    return String(path || '').replace(/^\.\//, '');
  }

  function splitCaption(text) {
    const match = /^(?:(.*?)\s+)?Ảnh:\s*(.+)$/.exec(text || '');
    if (!match) return { caption: text || '', credit: '' };
    const caption = (match[1] || '').replace(/\.$/, '');
    return { caption, credit: match[2] };
  }

  /* The caption as printed before a credit: ending with a full stop. */
  function captionWords(caption, credit) {
    const words = oneLine(caption);
    return words && credit && !/[.!?…:]$/.test(words) ? `${words}.` : words;
  }

  function captionLine(caption, credit) {
    const clean = (text) => text.replace(/\*/g, '\\*');
    const [words, by] = [clean(captionWords(caption, oneLine(credit))), clean(oneLine(credit))];
    if (!by) return words;
    return words ? `${words} ${CREDIT}: ${by}` : `${CREDIT}: ${by}`;
  }

  function photoMarkdown(photo) {
    const alt = oneLine(photo.alt).replace(/[[\]]/g, '');
    const line = `![${alt}]({static}${fileName(photo.image)})`;
    const caption = captionLine(photo.caption, photo.credit);
    return caption ? `${line}\n*${caption}*` : line;
  }

  function photoData(alt, image, captionText) {
    return { image, alt, ...splitCaption(captionText) };
  }

  function assetUrl(getAsset, path, field) {
    if (!path) return '';
    const asset = getAsset(fileName(path), field);
    return asset ? String(asset) : '';
  }

  function figurePreview(photo, getAsset, field, key) {
    const caption = [];
    const words = captionWords(photo.caption, oneLine(photo.credit));
    if (words) caption.push(`${words}${photo.credit ? ' ' : ''}`);
    if (photo.credit) {
      caption.push(h('span', { className: 'bt-figure__credit', key: 'c' },
        `${CREDIT}: ${photo.credit}`));
    }
    return h('figure', { className: 'bt-figure', key },
      h('img', { src: assetUrl(getAsset, photo.image, field), alt: photo.alt || '' }),
      caption.length ? h('figcaption', { className: 'bt-figure__caption' }, caption) : null);
  }

  const photoFields = [
    { name: 'image', label: 'Ảnh', widget: 'bt-image', required: true, choose_url: false,
      hint: 'Ảnh chụp bằng điện thoại dùng được ngay: khi đăng, ảnh được xoay đúng chiều, '
        + 'thu nhỏ và xoá thông tin vị trí.' },
    { name: 'alt', label: 'Mô tả ảnh cho người khiếm thị', widget: 'bt-string', required: true,
      hint: 'Tả ngắn những gì nhìn thấy trong ảnh, không lặp lại chú thích.' },
    { name: 'caption', label: 'Chú thích', widget: 'string', required: false },
    { name: 'credit', label: 'Tác giả ảnh', widget: 'string', required: false,
      hint: 'In sau chữ “Ảnh:”, ví dụ Thu Hà.' },
  ];

  /* Registered as 'image': it replaces Decap's own image component, whose pattern would
     otherwise take every photo line first, in the editor and in the preview. */
  const figure = {
    id: 'image',
    label: 'Ảnh có chú thích',
    fields: photoFields,
    pattern: new RegExp(`^${PHOTO}${AFTER_BLOCK}`),
    fromBlock: (match) => photoData(match[1], match[2], match[3]),
    toBlock: photoMarkdown,
    toPreview: (data, getAsset, fields) => figurePreview(data, getAsset, fields && fields.find
      ? fields.find((f) => f.get('name') === 'image') : undefined),
  };

  const gallery = {
    id: 'bt-gallery',
    label: 'Nhóm ảnh',
    fields: [{ name: 'photos', label: 'Các ảnh', label_singular: 'ảnh', widget: 'list',
      required: false, min: 2, summary: '{{fields.alt}}', fields: photoFields }],
    pattern: new RegExp(`^${PHOTO}(?:\\n${PHOTO})+${AFTER_BLOCK}`),
    fromBlock: (match) => ({
      photos: [...match[0].matchAll(PHOTO_GLOBAL)].map((m) => photoData(m[1], m[2], m[3])),
    }),
    toBlock: (data) => toArray(data.photos).map(photoMarkdown).join('\n'),
    toPreview: (data, getAsset) => h('figure', { className: 'bt-gallery' },
      toArray(data.photos).map((photo, n) => figurePreview(photo, getAsset, undefined, n))),
  };

  const attachment = {
    id: 'bt-attachment',
    label: 'Văn bản đính kèm',
    fields: [
      { name: 'file', label: 'Tệp (PDF, Word, Excel)', widget: 'bt-file', required: true,
        choose_url: false },
      { name: 'title', label: 'Tên văn bản', widget: 'bt-string', required: true,
        hint: 'Hiện trong mục “Tệp đính kèm” cuối bài, ví dụ Kế hoạch số 25/KH-SXD.',
      },
    ],
    pattern: new RegExp(`^\\[([^\\]\\n]*)\\]\\(\\{attach\\}([^)\\s]*)\\)${AFTER_BLOCK}`),
    fromBlock: (match) => ({ title: match[1], file: match[2] }),
    toBlock: (data) => {
      const title = oneLine(data.title).replace(/[[\]]/g, '');
      return `[${title}]({attach}${fileName(data.file)})`;
    },
    toPreview: (data, getAsset) => h('p', null, h('a', { href: assetUrl(getAsset, data.file) },
      oneLine(data.title))),
  };

  // ---------- the preview: the article page's markup, styled by the theme ----------

  const ATTACHED = /\[([^\]\n]+)\]\(\{attach\}([^)\s]+)\)/g;

  /* An element with a class: the theme's markup (theme/templates/article.html). */
  function el(tag, className, ...children) {
    return h(tag, className ? { className } : null, ...children);
  }

  function fact(term, ...description) {
    return h('div', { key: term }, el('dt', null, term), ' ', ...description);
  }

  function attachmentList(body) {
    const files = [...String(body || '').matchAll(ATTACHED)];
    if (!files.length) return null;
    return el('section', 'bt-attachments',
      el('h2', 'bt-attachments__title', 'Tệp đính kèm'),
      el('ul', 'bt-attachments__list', files.map(([, title, file], n) => h(
        'li', { key: n, className: 'bt-attachments__item' }, title, ' ',
        el('span', 'bt-attachments__meta',
          `(${fileName(file).split('.').pop().toUpperCase()})`)))));
  }

  const ArticlePreview = createClass({
    render() {
      const { entry, widgetFor } = this.props;
      const get = (name) => entry.getIn(['data', name]);
      const units = toArray(get('unit'));
      const tags = [...toArray(get('tags')), ...toArray(get('tags_other'))];
      const authors = toArray(get('authors')).join(', ') || get('author') || '';
      const facts = [
        units.length ? fact('Đơn vị:', el('dd', 'bt-article__unit', units.join('; '))) : null,
        get('eventdate') ? fact('Ngày diễn ra:',
          el('dd', null, dateLine(get('eventdate'), DATA.eventDateLine))) : null,
        get('category') ? fact('Chuyên mục:', el('dd', null, get('category'))) : null,
      ];
      return el('div', 'bt-main bt-preview',
        el('article', 'bt-article',
          el('header', 'bt-article__header',
            el('h1', 'bt-article__title', get('title') || ''),
            el('p', 'bt-article__dateline', el('time', null, dateLine(get('date'), DATA.dateLine))),
            el('dl', 'bt-article__facts', facts)),
          get('summary') ? el('div', 'bt-article__lead', el('p', null, get('summary'))) : null,
          el('div', 'bt-article__body', widgetFor('body')),
          attachmentList(get('body')),
          el('footer', 'bt-article__footer',
            el('p', 'bt-article__signature', authors),
            get('source') ? el('p', 'bt-article__source', `Nguồn: ${get('source')}`) : null,
            tags.length ? el('div', 'bt-tags',
              el('h2', 'bt-tags__label', 'Thẻ tag:'),
              el('ul', 'bt-tags__list', tags.map((tag) => h('li', { key: tag },
                el('span', 'bt-tag', tag))))) : null)));
    },
  });

  const PagePreview = createClass({
    render() {
      const { entry, widgetFor } = this.props;
      return el('div', 'bt-main bt-preview',
        el('article', 'bt-article',
          el('h1', 'bt-article__title', entry.getIn(['data', 'title']) || ''),
          el('div', 'bt-article__body', widgetFor('body'))));
    },
  });

  // ---------- registration ----------

  ['string', 'text', 'datetime', 'select', 'markdown', 'image', 'file'].forEach(checked);
  vi.editor.editorControlPane.widget.required = '';
  vi.editor.editorToolbar.status = 'Trạng thái: %{status}';
  CMS.registerLocale('vi', vi);
  CMS.registerCustomFormat('bantin', 'md', {
    fromFile: parseArticle,
    toFile: formatArticle,
  });
  CMS.registerCustomFormat('bantin-don-vi', 'toml', {
    fromFile: parseRegistry,
    toFile: formatRegistry,
  });
  [figure, gallery, attachment].forEach((component) => CMS.registerEditorComponent(component));
  CMS.registerPreviewStyle(DATA.stylesheet);
  CMS.registerPreviewTemplate('bai-viet', ArticlePreview);
  CMS.registerPreviewTemplate('trang', PagePreview);

  // For tests/test_cms.py, which compares these with the Python they port.
  window.BanTinCMS = { matchKey, parseDate, dateLine, parseArticle, formatArticle,
    parseRegistry, formatRegistry, problemFor, photoMarkdown, splitCaption };
}());
