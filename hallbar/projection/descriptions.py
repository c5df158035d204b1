"""What each projected figure means, in Swedish, with its source."""

from __future__ import annotations

from hallbar.core.describe import Description

_POP = (
    "Månadsavlönade (tillsvidare och visstid) per yrke vid startdatumet och framskrivet år för år."
)
_SKR = "SKR:s metod för rekryteringsbehov (Välfärdens kompetensförsörjning) kompletterad med personalomsättning; Hållbar docs/projection.md"

DEMAND_CHANGE = Description(
    "projection_demand_change",
    "Förändrat personalbehov",
    "Årets efterfrågan minus föregående års, i personer: oförändrad, en årlig tillväxt eller "
    "personal vid start × betjänad befolkning året / betjänad befolkning vid start, efter åtgärder.",
    _POP,
    "personer",
    _SKR + "; befolkningsprognos SCB (BE0401)",
)
RETIREMENTS = Description(
    "projection_retirements",
    "Pensionsavgångar",
    "Personer som lämnar vid pensionsåldern: riktåldern (67 år 2026–2030), LAS-åldern (69 år) "
    "eller organisationens egna avgångsandelar per ålder.",
    _POP,
    "personer",
    "Pensionsmyndigheten (riktålder); LAS 32 a § (69 år från 2023); " + _SKR,
)
TURNOVER = Description(
    "projection_turnover",
    "Personalomsättning (ersättningsbehov)",
    "Övriga avgångar (ej pension, ej intern förflyttning): avgångar / genomsnittligt antal "
    "anställda per yrke och åldersband i historiken, tillämpat på kvarvarande personal.",
    _POP,
    "personer",
    _SKR,
    higher_is_better=False,
)
NEED = Description(
    "projection_need",
    "Rekryteringsbehov",
    "Förändrat personalbehov + pensionsavgångar + personalomsättning; personer som måste "
    "anställas för att täcka efterfrågan (aldrig under noll).",
    _POP,
    "personer",
    _SKR,
)
NEED_FTE = Description(
    "projection_need_fte",
    "Rekryteringsbehov i årsarbetare",
    "Avgångar × yrkets genomsnittliga sysselsättningsgrad + förändrat behov × sysselsättningsgraden "
    "för nya tjänster (1,0 om nya tjänster är heltider).",
    _POP,
    "årsarbetare",
    _SKR,
)
COST_INCREASE = Description(
    "projection_cost_increase",
    "Kostnad för personalökningen",
    "Tillkommande årsarbetare × 12 × yrkets genomsnittliga månadslön (heltid) × "
    "(1 + personalomkostnadspålägg). Räknas en gång, det år ökningen sker, i startårets lönenivå.",
    _POP,
    "kr",
    "SKR:s personalomkostnadspålägg (PO-pålägg) för året; Hållbar docs/projection.md",
)
PERCENTILES = Description(
    "projection_need_percentiles",
    "Osäkerhet i rekryteringsbehovet",
    "10:e, 50:e och 90:e percentilen av rekryteringsbehovet över många slumpkörningar där "
    "personalomsättning och pensionsavgångar dras binomialt per yrke och ålder.",
    _POP,
    "personer",
    "Hållbar docs/projection.md",
)
ALL = (DEMAND_CHANGE, RETIREMENTS, TURNOVER, NEED, NEED_FTE, COST_INCREASE, PERCENTILES)
