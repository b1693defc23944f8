"""Releases of the ceasefire datasets other than those the importers were built on.

Each test writes synthetic rows in the exact column layout of a published release
(the header as found in a public copy of the file, cited at each layout) and checks
what a user relies on: every row imported or refused naming the column, the records
the documented mapping gives, nothing silently dropped.
"""

from __future__ import annotations

import csv
import io

from conflict_timeline import Agreement, Commitment, CommitmentKind
from conflict_timeline.importers import ImportBatch, get_importer

# PA-X v6, ``pax_all_agreements_data_v6.csv`` as committed in tjetdata/tjet-db
# (data/pax_all_agreements_data_v6.csv, commit 84b9c206): the 266 columns of v4 in
# the same order, and ``Interim`` (Yes/No) after ``CowWar``: 267 columns. The same
# column follows ``CowWar`` in the later files of peacerep/v7_messy_timeline
# (data/pax_all_agreements_v9.csv, data/pax_all_agreements_v10.csv) and
# peacerep/pax-map (data/pax_all_agreements_data_v9.csv).
_PAX_V6 = (
    "Con,Contp,PP,PPName,Reg,AgtId,Ver,Agt,Dat,Status,Lgt,N_characters,Agtp,Stage,"
    "StageSub,Part,ThrdPart,OthAgr,Loc1ISO,Loc2ISO,Loc1GWNO,Loc2GWNO,UcdpCon,UcdpAgr,"
    "PamAgr,CowWar,Interim,GCh,GChRhet,GChAntid,GChSubs,GChOth,GDis,GDisRhet,GDisAntid,"
    "GDisSubs,GDisOth,GAge,GAgeRhet,GAgeAntid,GAgeSubs,GAgeOth,GMig,GMigRhet,GMigAntid,"
    "GMigSubs,GMigOth,GRa,GRaRhet,GRaAntid,GRaSubs,GRaOth,GRe,GReRhet,GReAntid,GReSubs,"
    "GReOth,GInd,GIndRhet,GIndAntid,GIndSubs,GIndOth,GOth,GOthRhet,GOthAntid,GOthSubs,"
    "GOthOth,GRef,GRefRhet,GRefSubs,GRefOth,GSoc,GSocRhet,GSocAntid,GSocSubs,GSocOth,"
    "GeWom,GeMe,GeMeNu,GeMeOth,GeLgbti,GeLgbtiPos,GeLgbtiNeg,GeFa,StDef,StGen,StCon,"
    "StSd,StRef,StSym,StInd,StUni,StBor,StXbor,Pol,PolGen,PolNewInd,PolNewTemp,ConRen,"
    "Cons,Ele,ElecComm,PolPar,PolParTrans,PolParOth,Civso,Tral,Pubad,Polps,PpsSt,"
    "PpsSub,PpsEx,PpsOro,PpsOthPr,PpsVet,PpsAut,PpsInt,PpsOth,Terps,TpsSub,TpsLoc,"
    "TpsAut,TpsOth,Eps,EpsRes,EpsFis,EpsOth,Mps,MpsMe,MpsJt,MpsPro,MpsOth,HrGen,EqGen,"
    "HrDem,Prot,ProtCiv,ProtGrp,ProtLgl,ProtOth,HrFra,HrfSp,HrfBor,HrfTinc,HrfOth,HrCp,"
    "CprLife,CprTort,CprEq,CprSlav,CprLib,CprDet,CprFmov,CprFspe,CprFass,CprTria,"
    "CprPriv,CprVote,CprReli,CprOth,HrSec,SerProp,SerWork,SerHeal,SerEdu,SerStdl,"
    "SerShel,SerSs,SerCult,SerOth,HrNi,HrNiMe,HrNiNe,HrNiOth,HrIi,HrIiMon,HrIiBod,"
    "HrIiOth,HrMob,HrDet,Med,MedGov,MedSubs,MedLog,MedOth,HrCit,CitGen,CitRights,"
    "CitDef,CitOth,JusCr,JusCrSp,JusCrSys,JusCrPow,JusEm,JusJu,JusPri,JusTra,Dev,"
    "DevSoc,DevHum,DevInfra,NEC,NatRes,IntFu,Bus,Tax,TaxPo,TaxRef,TaxOth,Ban,CenBan,"
    "BanPers,BanInt,BanXb,LaRef,LaRefMan,LaRefRet,LaRefOth,LaNom,LaCH,LaCHTa,LaCHIt,"
    "LaCHPro,LaCHOth,LaEn,Wat,SsrGua,Ce,CeProv,CeGen,SsrPol,SsrArm,SsrDdr,DdrDemil,"
    "DdrProg,SsrInt,SsrPsf,SsrFf,Cor,SsrCrOcr,SsrDrugs,Terr,TjGen,TjAm,TjAmPro,TjSan,"
    "TjPower,TjAmBan,TjCou,TjJaNc,TjJaIc,TjMech,TjPrire,TjVet,TjVic,TjMis,TjRep,"
    "TjRSym,TjRMa,TjNR,ImUN,ImOth,ImRef,ImPK,ImE,ImSrc"
)
PAX_V6_HEADER = _PAX_V6.split(",")

# The PA-X Local agreements dataset, ``pax_local_data_396_agreements_v10.csv`` as
# committed in peacerep/peacetech-vis-collection (datasets/, commit dcda85f1): the
# agreement columns of PA-X (``Con`` to ``CowWar``), then ``Interim``, ``ImSrc``, the
# local codes and the place of the agreement (``LocaleName``, ``LocaleNat``,
# ``LatDec``, ``LongDec``); no ``Ce``/``CeProv``/``CeGen``. Stage ``Cea`` with
# ``StageSub`` ``Ceas`` or ``Rel``, ``Agtp`` ``IntraLocal``, as in PA-X.
_PAX_LOCAL = (
    "Con,Contp,PP,PPName,Reg,AgtId,Ver,Agt,Dat,Status,Lgt,N_characters,Agtp,Stage,"
    "StageSub,Part,ThrdPart,OthAgr,Loc1ISO,Loc2ISO,Loc1GWNO,Loc2GWNO,UcdpCon,UcdpAgr,"
    "PamAgr,CowWar,Interim,ImSrc,PT_FSP,PT_ISP,PT_IPP,PT_UTE,LinkNatProcess,LocaleName,"
    "LocaleNat,LatDec,LongDec,Mediator,MedCentState,MedRegState,MedLocState,"
    "MedLocArmed,MedReDomEld,MedLocCivSoc,MedIntActor,MedOtherUnclear,CentState,"
    "RegState,LocState,LocArmedGr,ReDomEld,LocComSoc,IntActor,OthActor,RitPray,Grieve,"
    "Cattle,Cover"
)
PAX_LOCAL_HEADER = _PAX_LOCAL.split(",")


def _read(header: list[str], rows: list[dict[str, str]]) -> ImportBatch:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "0") for column in header])
    return get_importer("pax").read(io.StringIO(out.getvalue()))


def _pax_row(agt: str, stage: str, **cells: str) -> dict[str, str]:
    return {
        "Con": "Synthetica/(Eastland)",
        "Contp": "Government/territory",
        "PP": "9",
        "PPName": "Synthetica peace process",
        "Reg": "Africa (excl MENA)",
        "AgtId": agt,
        "Ver": "1",
        "Agt": f"Agreement {agt}",
        "Dat": "2021-06-01",
        "Status": "Multiparty signed/agreed",
        "Lgt": "2",
        "N_characters": "4000",
        "Agtp": "Intra",
        "Stage": stage,
        "StageSub": "Ceas" if stage == "Cea" else "PreMix",
        "Part": "Government of Synthetica; Eastland Front",
        "ThrdPart": "",
        "OthAgr": "",
        "Loc1ISO": "SYN",
        "Loc2ISO": "",
        "Loc1GWNO": "999",
        "Loc2GWNO": "",
        "UcdpCon": "NA",
        "UcdpAgr": "NA",
        "PamAgr": "",
        "CowWar": "",
        **cells,
    }


def test_pax_v6_interim_column_is_kept_and_every_row_imported() -> None:
    batch = _read(
        PAX_V6_HEADER,
        [
            _pax_row("3001", "Cea", Interim="Yes", Ce="2", CeProv="1", CeGen="1"),
            _pax_row("3002", "Pre", Interim="No"),
        ],
    )
    assert batch.refused == ()
    # Synthetica's Loc1GWNO 999 is no country known here: its ceasefire applies
    # everywhere, flagged (the agreement at another stage has no provision to scope).
    assert batch.flags == {"country code not known here": 1}
    by_id = {r.id: r for r in batch.events()}
    assert sorted(by_id) == ["pax:3001", "pax:3001/ceasefire", "pax:3002"]
    first, second = by_id["pax:3001"], by_id["pax:3002"]
    assert isinstance(first, Agreement)
    assert isinstance(second, Agreement)
    assert "Interim=Yes" in first.notes.splitlines()[1].split("; ")
    assert "Interim=No" in second.notes.splitlines()[1].split("; ")
    ceasefire = by_id["pax:3001/ceasefire"]
    assert isinstance(ceasefire, Commitment)
    assert ceasefire.commitment_kind is CommitmentKind.CEASEFIRE
    # The coverage reaches the latest year the file codes.
    assert "possibly in force until 2021" in ceasefire.notes


def test_pax_local_agreements_keep_their_place_and_a_ceasefire_stage() -> None:
    local = {
        "Agtp": "IntraLocal",
        "Interim": "No",
        "LocaleName": "Testville; north bank",
        "LocaleNat": "City",
        "LatDec": "45.220000",
        "LongDec": "19.370000",
    }
    batch = _read(
        PAX_LOCAL_HEADER,
        [
            _pax_row("3101", "Cea", **local),
            _pax_row("3102", "Cea", **{**local, "StageSub": "Rel"}),
            _pax_row("3103", "SubPar", **local),
        ],
    )
    assert batch.refused == ()
    # Local agreements have no ceasefire provision codes: nothing to flag but the
    # two ceasefires' Loc1GWNO 999, no country known here (they apply everywhere).
    assert batch.flags == {"country code not known here": 2}
    by_id = {r.id: r for r in batch.events()}
    assert sorted(by_id) == [
        "pax:3101",
        "pax:3101/ceasefire",
        "pax:3102",
        "pax:3102/ceasefire",
        "pax:3103",
    ]
    agreement = by_id["pax:3101"]
    assert isinstance(agreement, Agreement)
    codes = agreement.notes.splitlines()[1].split("; ")
    assert {"Agtp=IntraLocal", "LocaleNat=City", "LatDec=45.220000", "LongDec=19.370000"} <= set(
        codes
    )
    assert "LocaleName: Testville; north bank" in agreement.notes.splitlines()
    for rid in ("pax:3101/ceasefire", "pax:3102/ceasefire"):
        ceasefire = by_id[rid]
        assert isinstance(ceasefire, Commitment)
        assert ceasefire.commitment_kind is CommitmentKind.CEASEFIRE
