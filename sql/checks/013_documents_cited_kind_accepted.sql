-- Accepted values: documents_cited.kind is one of nghi_quyet, chi_thi, quy_dinh, ket_luan,
-- ke_hoach, de_an, huong_dan (FACTS.md).
-- Violations: the citations of any other kind (a NULL kind is 007_documents_cited_not_null's).
select doc_id, kind, code, text
from checked_documents_cited
where kind is not null
  and kind not in ('nghi_quyet', 'chi_thi', 'quy_dinh', 'ket_luan', 'ke_hoach', 'de_an', 'huong_dan')
order by doc_id, code
