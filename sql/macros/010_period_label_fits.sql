-- Macro period_label_fits(kind, label): whether a period label has the form its period_kind
-- requires (FACTS.md): 'YYYY' (Y), 'YYYY-H1'/'YYYY-H2'/'YYYY-Q1'..'Q4', 'YYYY-nM' with n in 1..12
-- (nM), 'YYYY-YYYY' with the first year before the second (range), a real day 'YYYY-MM-DD'
-- (asof). Used by dim_period and by the data check 022, so the rule lives in one place.
CREATE OR REPLACE MACRO period_label_fits(kind, label) AS
    case
        when kind = 'Y' then regexp_full_match(label, '\d{4}')
        when kind in ('H1', 'H2', 'Q1', 'Q2', 'Q3', 'Q4')
            then label = regexp_extract(label, '^\d{4}', 0) || '-' || kind
        when kind = 'nM'
            then regexp_full_match(label, '\d{4}-\d{1,2}M')
                 and try_cast(regexp_extract(label, '^\d{4}-(\d{1,2})M$', 1) as integer) between 1 and 12
        when kind = 'range'
            then regexp_full_match(label, '\d{4}-\d{4}')
                 and cast(substr(label, 1, 4) as integer) < cast(substr(label, 6, 4) as integer)
        when kind = 'asof'
            then regexp_full_match(label, '\d{4}-\d{2}-\d{2}') and try_cast(label as date) is not null
        else false
    end;
