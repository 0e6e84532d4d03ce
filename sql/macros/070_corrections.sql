-- The analysts' corrections (table `corrections`, docs/corrections.md) applied to the extracted
-- facts, for the public views. The tables keep what was extracted; these table macros give the
-- corrected facts. One rule in one place: metric_series, officials_by_title and
-- corrections_applied all read them.
--
-- Matching (never by row number), in the article the correction applies to now
-- (corrections.target_doc_id: its doc_id, or the article its file holds since it changed):
--   metric:  same metric, period_label, scope (NULL matches NULL) and value (equal within
--            1e-9 relative); an added fact is matched like an extracted one.
--   person:  same name, and the title when the correction gives one.
--   article: the article itself.
-- A correction matches against the facts as extracted (or added), never against what another
-- correction set. Several sets of one column of one fact: the last read wins (seq).
-- An article's corrected province is followed by its facts whose province was the article's.

-- fix(sets, col, original): the value a correction set for `col` (as text), else the original
-- (as text); callers cast it back to the column's type.
CREATE OR REPLACE MACRO fix(sets, col, original) AS
    case when coalesce(map_contains(sets, col), false) then map_extract_value(sets, col)
         else cast(original as varchar) end;

-- is_fixed(sets, col): whether a correction set `col`.
CREATE OR REPLACE MACRO is_fixed(sets, col) AS coalesce(map_contains(sets, col), false);

-- metric_base(): the extracted metrics and the metrics the corrections add (to an article the
-- warehouse holds), each with a target_key: 'doc_id#fact_no', or 'add:file:line'.
CREATE OR REPLACE MACRO metric_base() AS TABLE
    select
        doc_id, doc_id || '#' || fact_no as target_key, fact_no, false as added,
        metric, value, unit, qualifier, pct_of_plan, denominator, period_kind, period_start,
        period_end, period_label, province, scope, sentence, char_start, char_end
    from metrics
    union all
    select
        target_doc_id, 'add:' || file || ':' || line, null, true,
        metric, value, unit, null, null, null, period_kind, period_start,
        period_end, period_label, null, scope, null, null, null
    from corrections
    where action = 'add' and fact = 'metric'
      and target_doc_id in (select doc_id from articles);

-- person_base(): the extracted people rows and those the corrections add, with a target_key.
CREATE OR REPLACE MACRO person_base() AS TABLE
    select doc_id, 'person:' || rowid as target_key, false as added, name, title, province,
           sentence, char_start, char_end
    from people
    union all
    select target_doc_id, 'add:' || file || ':' || line, true, name, title, null, null, null, null
    from corrections
    where action = 'add' and fact = 'person'
      and target_doc_id in (select doc_id from articles);

-- correction_matches(): one row per (correction, fact it applies to), with the correction's
-- columns. A correction that matches nothing is orphaned (see the view corrections_applied).
CREATE OR REPLACE MACRO correction_matches() AS TABLE
    select b.target_key, c.*
    from corrections as c
    inner join metric_base() as b
        on c.fact = 'metric' and c.action in ('reject', 'set')
       and b.doc_id = c.target_doc_id
       and b.metric is not distinct from c.metric
       and abs(b.value - c.value) <= 1e-9 * greatest(1, abs(c.value))
       and b.period_label is not distinct from c.period_label
       and b.scope is not distinct from c.scope
    union all by name
    select b.target_key, c.*
    from corrections as c
    inner join person_base() as b
        on c.fact = 'person' and c.action in ('reject', 'set')
       and b.doc_id = c.target_doc_id
       and b.name = c.name
       and (c.title is null or b.title = c.title)
    union all by name
    select c.target_doc_id as target_key, c.*
    from corrections as c
    where c.fact = 'article' and c.target_doc_id in (select doc_id from articles)
    union all by name
    select 'add:' || c.file || ':' || c.line as target_key, c.*
    from corrections as c
    where c.action = 'add' and c.target_doc_id in (select doc_id from articles);

-- correction_sets(): per corrected fact (fact, target_key): rejected, and `sets`, a map of
-- column -> new value (text) of the winning set of each column. A new period_label brings its
-- period_kind, period_start and period_end.
CREATE OR REPLACE MACRO correction_sets() AS TABLE
    with
    matches as (
        select * from correction_matches()
    ),
    entries as (
        select fact, target_key, seq, column_name, new_value from matches where action = 'set'
        union all
        select fact, target_key, seq, 'period_kind', period_kind from matches
        where action = 'set' and column_name = 'period_label'
        union all
        select fact, target_key, seq, 'period_start', cast(period_start as varchar) from matches
        where action = 'set' and column_name = 'period_label'
        union all
        select fact, target_key, seq, 'period_end', cast(period_end as varchar) from matches
        where action = 'set' and column_name = 'period_label'
    ),
    winners as (
        select * from entries
        qualify row_number() over (partition by fact, target_key, column_name order by seq desc) = 1
    ),
    sets as (
        select fact, target_key, map(list(column_name order by column_name),
                                     list(new_value order by column_name)) as sets
        from winners
        group by fact, target_key
    ),
    flags as (
        select fact, target_key, bool_or(action = 'reject') as rejected
        from matches
        group by fact, target_key
    )
    select f.fact, f.target_key, f.rejected, s.sets
    from flags as f
    left join sets as s on s.fact = f.fact and s.target_key = f.target_key;

-- corrected_articles(): every article (without its body) with its corrected fields, and
-- extracted_province, province_fixed, rejected (its facts leave the public views), corrected.
CREATE OR REPLACE MACRO corrected_articles() AS TABLE
    select
        a.doc_id,
        a.source_path,
        fix(s.sets, 'url', a.url) as url,
        fix(s.sets, 'title', a.title) as title,
        fix(s.sets, 'outlet', a.outlet) as outlet,
        cast(fix(s.sets, 'published_at', a.published_at) as timestamp) as published_at,
        cast(fix(s.sets, 'event_date', a.event_date) as date) as event_date,
        fix(s.sets, 'province', a.province) as province,
        fix(s.sets, 'location', a.location) as location,
        fix(s.sets, 'meeting_kind', a.meeting_kind) as meeting_kind,
        fix(s.sets, 'period_label', a.period_label) as period_label,
        fix(s.sets, 'byline', a.byline) as byline,
        cast(fix(s.sets, 'on_topic', a.on_topic) as boolean) as on_topic,
        fix(s.sets, 'period_kind', a.period_kind) as period_kind,
        cast(fix(s.sets, 'period_start', a.period_start) as date) as period_start,
        cast(fix(s.sets, 'period_end', a.period_end) as date) as period_end,
        a.province_2025,
        a.extractor_version,
        a.run_id,
        a.province as extracted_province,
        is_fixed(s.sets, 'province') as province_fixed,
        coalesce(s.rejected, false) as rejected,
        s.target_key is not null as corrected
    from articles as a
    left join correction_sets() as s on s.fact = 'article' and s.target_key = a.doc_id;

-- corrected_metrics(): every metric fact, extracted or added, with its corrected columns;
-- rejected (left out of the public views), corrected (a correction touched it, its article's
-- rejection or new province included), and the series key it was extracted with
-- (extracted_*; NULL metric for an added fact), so a series a fact left is known as corrected.
CREATE OR REPLACE MACRO corrected_metrics() AS TABLE
    select
        b.doc_id,
        b.fact_no,
        b.target_key,
        b.added,
        fix(s.sets, 'metric', b.metric) as metric,
        cast(fix(s.sets, 'value', b.value) as double) as value,
        fix(s.sets, 'unit', b.unit) as unit,
        fix(s.sets, 'qualifier', b.qualifier) as qualifier,
        cast(fix(s.sets, 'pct_of_plan', b.pct_of_plan) as double) as pct_of_plan,
        cast(fix(s.sets, 'denominator', b.denominator) as double) as denominator,
        fix(s.sets, 'period_kind', b.period_kind) as period_kind,
        cast(fix(s.sets, 'period_start', b.period_start) as date) as period_start,
        cast(fix(s.sets, 'period_end', b.period_end) as date) as period_end,
        fix(s.sets, 'period_label', b.period_label) as period_label,
        case
            when is_fixed(s.sets, 'province') then map_extract_value(s.sets, 'province')
            when b.added or (b.province is not distinct from a.extracted_province
                             and b.scope is distinct from 'national') then a.province
            else b.province
        end as province,
        fix(s.sets, 'scope', b.scope) as scope,
        b.sentence,
        b.char_start,
        b.char_end,
        coalesce(s.rejected, false) or coalesce(a.rejected, false) as rejected,
        s.target_key is not null or b.added or coalesce(a.rejected, false)
            or (coalesce(a.province_fixed, false) and b.province is not distinct from a.extracted_province
                and b.scope is distinct from 'national')
            as corrected,
        case when not b.added then b.metric end as extracted_metric,
        b.province as extracted_province,
        b.scope as extracted_scope,
        b.period_kind as extracted_period_kind,
        b.period_label as extracted_period_label
    from metric_base() as b
    left join corrected_articles() as a on a.doc_id = b.doc_id
    left join correction_sets() as s on s.fact = 'metric' and s.target_key = b.target_key;

-- corrected_people(): every people row, extracted or added, with its corrected name, title and
-- province; rejected and corrected as in corrected_metrics().
CREATE OR REPLACE MACRO corrected_people() AS TABLE
    select
        b.doc_id,
        b.target_key,
        b.added,
        fix(s.sets, 'name', b.name) as name,
        fix(s.sets, 'title', b.title) as title,
        case
            when is_fixed(s.sets, 'province') then map_extract_value(s.sets, 'province')
            when b.province = a.extracted_province then a.province
            else b.province  -- NULL stays NULL: officials_by_title falls back to the article's
        end as province,
        b.sentence,
        b.char_start,
        b.char_end,
        coalesce(s.rejected, false) or coalesce(a.rejected, false) as rejected,
        s.target_key is not null or b.added or coalesce(a.rejected, false)
            or (coalesce(a.province_fixed, false)
                and (b.province is null or b.province = a.extracted_province))
            as corrected
    from person_base() as b
    left join corrected_articles() as a on a.doc_id = b.doc_id
    left join correction_sets() as s on s.fact = 'person' and s.target_key = b.target_key;
