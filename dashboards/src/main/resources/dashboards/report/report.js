/*
 * 看板报告 — draws the charts of dashboards.html from the JSON in #report-data, with no library and
 * no network: SVG bars (stacked by series, grouped by metric), lines, pie slices, big numbers and
 * tables. Every drawn value is a `.mark` carrying data-x, data-key and data-value, with a <title>
 * tooltip; every chart but a big number also gets a table of its numbers (td.num, same data-x and
 * data-key), so the figures can be read and checked.
 */
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var COLORS = ['#0b5394', '#e69138', '#6aa84f', '#cc0000', '#674ea7', '#45818e', '#bf9000',
    '#a64d79', '#3d85c6', '#93c47d', '#f6b26b', '#8e7cc3'];

  function svg(name, attributes, text) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) {
      element.setAttribute(key, attributes[key]);
    });
    if (text !== undefined && text !== null) {
      element.textContent = text;
    }
    return element;
  }

  function html(name, attributes, text) {
    var element = document.createElement(name);
    Object.keys(attributes || {}).forEach(function (key) {
      element.setAttribute(key, attributes[key]);
    });
    if (text !== undefined && text !== null) {
      element.textContent = text;
    }
    return element;
  }

  /** d3-style formats the definitions use: ',d', ',.2f', '.1%'; none: ',d' for integers, else ',.2f'. */
  function format(value, pattern) {
    if (value === null || value === undefined) {
      return '—';
    }
    var number = Number(value);
    var match = /^(,?)(?:\.(\d+))?([df%])$/.exec(pattern || '');
    if (!match) {
      match = Number.isInteger(number) ? [',d', ',', undefined, 'd'] : [',.2f', ',', '2', 'f'];
    }
    var comma = match[1] === ',';
    var digits = match[2] === undefined ? 0 : Number(match[2]);
    var text;
    if (match[3] === '%') {
      text = (number * 100).toFixed(digits);
    } else if (match[3] === 'd') {
      text = number.toFixed(0);
    } else {
      text = number.toFixed(digits);
    }
    if (comma) {
      var parts = text.split('.');
      parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ',');
      text = parts.join('.');
    }
    return match[3] === '%' ? text + '%' : text;
  }

  function text(value) {
    return value === null || value === undefined ? '—' : String(value);
  }

  /**
   * The chart's values as series: one per series value (a metric per series value if there are
   * several), or one per metric. Keys and labels are the same strings the data table shows.
   */
  function seriesOf(chart) {
    var dimensions = chart.columns.length;
    var xs = [];
    var seriesValues = [];
    chart.rows.forEach(function (row) {
      var x = text(row[0]);
      if (xs.indexOf(x) < 0) {
        xs.push(x);
      }
      if (chart.series) {
        var s = text(row[1]);
        if (seriesValues.indexOf(s) < 0) {
          seriesValues.push(s);
        }
      }
    });
    seriesValues.sort();
    var keys = [];
    if (chart.series) {
      seriesValues.forEach(function (s) {
        chart.metrics.forEach(function (metric, m) {
          keys.push({
            key: chart.metrics.length > 1 ? s + ' · ' + metric.label : s,
            series: s,
            metric: m
          });
        });
      });
    } else {
      chart.metrics.forEach(function (metric, m) {
        keys.push({key: metric.label, series: null, metric: m});
      });
    }
    var values = {};
    chart.rows.forEach(function (row) {
      keys.forEach(function (k) {
        if (k.series === null || text(row[1]) === k.series) {
          var value = row[dimensions + k.metric];
          if (value !== null && value !== undefined) {
            values[text(row[0]) + '\u0000' + k.key] = Number(value);
          }
        }
      });
    });
    return {
      xs: xs,
      keys: keys,
      value: function (x, k) {
        var v = values[x + '\u0000' + k.key];
        return v === undefined ? null : v;
      }
    };
  }

  function mark(element, x, k, value, label) {
    element.setAttribute('class', ((element.getAttribute('class') || '') + ' mark').trim());
    element.setAttribute('data-x', x);
    element.setAttribute('data-key', k.key);
    element.setAttribute('data-value', String(value));
    element.appendChild(svg('title', {}, label));
    return element;
  }

  function legend(keys) {
    var box = html('div', {class: 'legend'});
    keys.forEach(function (k, i) {
      var item = html('span');
      var swatch = html('i');
      swatch.style.background = COLORS[i % COLORS.length];
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(k.key));
      box.appendChild(item);
    });
    return box;
  }

  function dataTable(chart, data, open) {
    var details = html('details', {class: 'numbers'});
    if (open) {
      details.setAttribute('open', '');
    }
    details.appendChild(html('summary', {}, '数据表'));
    var table = html('table', {class: 'data'});
    var head = html('tr');
    head.appendChild(html('th', {}, chart.columns[0].label));
    data.keys.forEach(function (k) {
      head.appendChild(html('th', {}, k.key));
    });
    table.appendChild(html('thead')).appendChild(head);
    var body = table.appendChild(html('tbody'));
    data.xs.forEach(function (x) {
      var row = html('tr');
      row.appendChild(html('td', {}, x));
      data.keys.forEach(function (k) {
        var value = data.value(x, k);
        var cell = html('td', {class: 'num'}, format(value, chart.metrics[k.metric].format));
        if (value !== null) {
          cell.setAttribute('data-x', x);
          cell.setAttribute('data-key', k.key);
          cell.setAttribute('data-value', String(value));
        }
        row.appendChild(cell);
      });
      body.appendChild(row);
    });
    details.appendChild(table);
    return details;
  }

  /** Charts are drawn at the width of their panel, one SVG unit a pixel, so text keeps its size. */
  function widthOf(plot) {
    return Math.max(280, Math.floor(plot.clientWidth || 640));
  }

  function sized(root, width, height) {
    root.setAttribute('width', width);
    root.setAttribute('height', height);
    return root;
  }

  function bar(chart, plot) {
    var WIDTH = widthOf(plot);
    var data = seriesOf(chart);
    var stacked = chart.series !== null && chart.metrics.length === 1;
    var labelWidth = Math.min(150, Math.floor(WIDTH * 0.3));
    var band = stacked ? 22 : 8 + 14 * data.keys.length;
    var height = data.xs.length * band + 8;
    var max = 0;
    data.xs.forEach(function (x) {
      var sum = 0;
      data.keys.forEach(function (k) {
        var v = Math.max(0, data.value(x, k) || 0);
        sum += v;
        max = Math.max(max, v);
      });
      if (stacked) {
        max = Math.max(max, sum);
      }
    });
    var scale = (WIDTH - labelWidth - 70) / (max || 1);
    var root = sized(svg('svg', {viewBox: '0 0 ' + WIDTH + ' ' + height, role: 'img'}), WIDTH, height);
    data.xs.forEach(function (x, i) {
      var top = 4 + i * band;
      root.appendChild(svg('text', {
        class: 'axis-label', x: labelWidth - 6, y: top + band / 2 + 4, 'text-anchor': 'end'
      }, x.length > 14 ? x.slice(0, 13) + '…' : x));
      var left = labelWidth;
      var total = 0;
      data.keys.forEach(function (k, j) {
        var value = data.value(x, k);
        if (value === null) {
          return;
        }
        var length = Math.max(0, value) * scale;
        var y = stacked ? top + 3 : top + 4 + j * 14;
        var h = stacked ? band - 6 : 12;
        var label = x + ' · ' + k.key + '：' + format(value, chart.metrics[k.metric].format);
        var rect = svg('rect', {
          x: stacked ? left : labelWidth, y: y, width: Math.max(length, 0.5), height: h,
          fill: COLORS[j % COLORS.length]
        });
        root.appendChild(mark(rect, x, k, value, label));
        if (stacked) {
          left += length;
          total += value;
        } else {
          root.appendChild(svg('text', {
            class: 'value-label', x: labelWidth + length + 4, y: y + 10
          }, format(value, chart.metrics[k.metric].format)));
        }
      });
      if (stacked) {
        root.appendChild(svg('text', {
          class: 'value-label', x: left + 4, y: top + band / 2 + 4
        }, format(total, chart.metrics[0].format)));
      }
    });
    if (data.keys.length > 1) {
      plot.appendChild(legend(data.keys));
    }
    plot.appendChild(root);
    plot.appendChild(dataTable(chart, data, false));
  }

  function line(chart, plot) {
    var WIDTH = widthOf(plot);
    var data = seriesOf(chart);
    data.xs.sort();
    var left = 64;
    var right = 32;
    var top = 12;
    var bottom = 34;
    var height = 240;
    var max = 0;
    data.xs.forEach(function (x) {
      data.keys.forEach(function (k) {
        max = Math.max(max, data.value(x, k) || 0);
      });
    });
    max = max || 1;
    var plotWidth = WIDTH - left - right;
    var plotHeight = height - top - bottom;
    function px(i) {
      return left + (data.xs.length === 1 ? plotWidth / 2 : i * plotWidth / (data.xs.length - 1));
    }
    function py(v) {
      return top + plotHeight - v / max * plotHeight;
    }
    var root = sized(svg('svg', {viewBox: '0 0 ' + WIDTH + ' ' + height, role: 'img'}), WIDTH, height);
    for (var t = 0; t <= 4; t++) {
      var v = max * t / 4;
      root.appendChild(svg('line', {class: 'grid-line', x1: left, x2: WIDTH - right, y1: py(v), y2: py(v)}));
      root.appendChild(svg('text', {class: 'tick-label', x: left - 6, y: py(v) + 4, 'text-anchor': 'end'},
        format(v, chart.metrics[0].format === ',d' ? ',.0f' : chart.metrics[0].format)));
    }
    var step = Math.max(1, Math.ceil(data.xs.length / 8));
    data.xs.forEach(function (x, i) {
      if (i % step === 0 || i === data.xs.length - 1) {
        root.appendChild(svg('text', {class: 'tick-label', x: px(i), y: height - 12, 'text-anchor': 'middle'},
          x.slice(0, 7)));
      }
    });
    data.keys.forEach(function (k, j) {
      var color = COLORS[j % COLORS.length];
      var path = '';
      data.xs.forEach(function (x, i) {
        var value = data.value(x, k);
        if (value !== null) {
          path += (path === '' ? 'M' : 'L') + px(i).toFixed(1) + ',' + py(value).toFixed(1);
        }
      });
      root.appendChild(svg('path', {class: 'line', d: path, stroke: color}));
      data.xs.forEach(function (x, i) {
        var value = data.value(x, k);
        if (value !== null) {
          var label = x + ' · ' + k.key + '：' + format(value, chart.metrics[k.metric].format);
          root.appendChild(mark(svg('circle', {cx: px(i), cy: py(value), r: 3, fill: color}), x, k, value, label));
        }
      });
    });
    if (data.keys.length > 1) {
      plot.appendChild(legend(data.keys));
    }
    plot.appendChild(root);
    // points carry no labels: their table is open unless it is long
    plot.appendChild(dataTable(chart, data, data.xs.length <= 12));
  }

  function pie(chart, plot) {
    var data = seriesOf(chart);
    var k = data.keys[0];
    var total = 0;
    data.xs.forEach(function (x) {
      total += Math.max(0, data.value(x, k) || 0);
    });
    var size = 220;
    var radius = 90;
    var cx = size / 2;
    var cy = size / 2;
    var root = sized(svg('svg', {viewBox: '0 0 ' + size + ' ' + size, role: 'img', class: 'pie'}), size, size);
    var angle = -Math.PI / 2;
    var slices = html('div', {class: 'legend'});
    data.xs.forEach(function (x, i) {
      var value = data.value(x, k);
      if (value === null) {
        return;
      }
      var share = total > 0 ? Math.max(0, value) / total : 0;
      var end = angle + share * 2 * Math.PI;
      var color = COLORS[i % COLORS.length];
      var d;
      if (share >= 0.999999) {
        d = 'M' + (cx - radius) + ',' + cy + 'A' + radius + ',' + radius + ' 0 1,1 ' + (cx + radius) + ',' + cy
          + 'A' + radius + ',' + radius + ' 0 1,1 ' + (cx - radius) + ',' + cy + 'Z';
      } else {
        d = 'M' + cx + ',' + cy
          + 'L' + (cx + radius * Math.cos(angle)).toFixed(2) + ',' + (cy + radius * Math.sin(angle)).toFixed(2)
          + 'A' + radius + ',' + radius + ' 0 ' + (end - angle > Math.PI ? 1 : 0) + ',1 '
          + (cx + radius * Math.cos(end)).toFixed(2) + ',' + (cy + radius * Math.sin(end)).toFixed(2) + 'Z';
      }
      var label = x + '：' + format(value, chart.metrics[0].format) + '（' + format(share, '.1%') + '）';
      root.appendChild(mark(svg('path', {d: d, fill: color, stroke: '#fff'}), x, k, value, label));
      var item = html('span');
      var swatch = html('i');
      swatch.style.background = color;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(label));
      slices.appendChild(item);
      angle = end;
    });
    plot.appendChild(root);
    plot.appendChild(slices);
    plot.appendChild(dataTable(chart, data, false));
  }

  function bigNumber(chart, plot) {
    var metric = chart.metrics[0];
    var value = chart.rows.length > 0 ? chart.rows[0][0] : null;
    var root = sized(svg('svg', {viewBox: '0 0 320 90', role: 'img'}), 320, 90);
    var number = svg('text', {class: 'big-value', x: 160, y: 52, 'text-anchor': 'middle'}, format(value, metric.format));
    root.appendChild(mark(number, '', {key: metric.label}, value, metric.label + '：' + format(value, metric.format)));
    root.appendChild(svg('text', {class: 'axis-label', x: 160, y: 80, 'text-anchor': 'middle'}, metric.label));
    plot.appendChild(root);
  }

  function table(chart, plot) {
    var grid = html('table', {class: 'grid-table'});
    var head = html('tr');
    chart.columns.forEach(function (column) {
      head.appendChild(html('th', {}, column.label));
    });
    chart.metrics.forEach(function (metric) {
      head.appendChild(html('th', {}, metric.label));
    });
    grid.appendChild(html('thead')).appendChild(head);
    var body = grid.appendChild(html('tbody'));
    chart.rows.forEach(function (row) {
      var tr = html('tr', {class: 'mark'});
      chart.columns.forEach(function (column, i) {
        tr.appendChild(html('td', {}, text(row[i])));
      });
      chart.metrics.forEach(function (metric, m) {
        var value = row[chart.columns.length + m];
        var cell = html('td', {class: 'num', 'data-key': metric.label}, format(value, metric.format));
        if (value !== null) {
          cell.setAttribute('data-value', String(value));
        }
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
    plot.appendChild(grid);
  }

  var DRAW = {bar: bar, line: line, pie: pie, big_number: bigNumber, table: table};
  var report = JSON.parse(document.getElementById('report-data').textContent);
  report.dashboards.forEach(function (dashboard) {
    dashboard.charts.forEach(function (chart) {
      var figure = document.querySelector('figure[data-chart="' + chart.name + '"]');
      var plot = figure.querySelector('.plot');
      if (chart.note) {
        plot.appendChild(html('p', {class: 'note'}, chart.note));
      }
      if (chart.rows.length === 0) {
        plot.appendChild(html('p', {class: 'empty'}, '无数据'));
      } else {
        DRAW[chart.kind](chart, plot);
      }
      figure.setAttribute('data-rendered', String(chart.rows.length));
    });
  });
  document.body.setAttribute('data-report', 'rendered');
}());
