-- report/quarantine_reasons: quarantined inputs per reason.
--
-- Grain: one row per reason. Order: most inputs first, then reason.

select
    reason,
    count(*) as n_inputs
from quarantine
group by reason
order by n_inputs desc, reason
