package store

import (
	"concord/accreditation"
	"context"
	"time"

	"concord"
	"concord/internal/audit"
	"concord/internal/refdata"
)

// Bootstrap loads the Global Mechanism process and its reference data
// (States, regional groups, memberships, classification schemes) and the
// audit signing key, once. It is safe to run at every start and from several
// instances at once: writers are serialised and it checks inside its
// transaction whether the work is done.
func (db *DB) Bootstrap(ctx context.Context) error {
	return db.Update(ctx, "system", func(tx *Tx) error {
		var n int
		if err := tx.row(ctx, "SELECT COUNT(*) FROM processes WHERE code = $1", concord.DefaultProcessCode).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return tx.ensureRules()
		}
		skey, vkey, err := audit.NewSigner("concord-audit")
		if err != nil {
			return err
		}
		for name, v := range map[string]string{"audit.signer": skey, "audit.verifier": vkey} {
			if _, err := tx.exec(ctx, "INSERT INTO secrets (name, value) VALUES ($1, $2)", name, v); err != nil {
				return err
			}
		}
		for i, g := range refdata.RegionalGroups() {
			if _, err := tx.exec(ctx, "INSERT INTO regional_groups (code, position, names) VALUES ($1, $2, $3)", g.Code, i, textJSON(g.Names)); err != nil {
				return err
			}
		}
		states := refdata.States()
		for _, s := range states {
			if _, err := tx.exec(ctx, "INSERT INTO states (iso3, iso2, m49, status, region, sub_region, names) VALUES ($1, $2, $3, $4, $5, $6, $7)",
				s.ISO3, s.ISO2, s.M49, s.Status, s.Region, s.SubRegion, textJSON(s.Names)); err != nil {
				return err
			}
		}
		for _, m := range refdata.GroupMemberships() {
			since := time.Date(1963, 12, 17, 0, 0, 0, 0, time.UTC) // A/RES/1991 (XVIII): the group system
			if m.Since != "" {
				if t, err := time.Parse(time.DateOnly, m.Since); err == nil {
					since = t
				}
			}
			if _, err := tx.exec(ctx, "INSERT INTO group_memberships (state, group_code, kind, since, note) VALUES ($1, $2, $3, $4, $5)",
				m.ISO3, m.Group, m.Kind, since, m.Note); err != nil {
				return err
			}
		}
		schemes := []concord.ClassificationScheme{
			{Code: concord.SchemeUNCTAD, Names: concord.Text{"en": "UNCTAD (M49-based)", "fr": "CNUCED (fondée sur la M49)", "es": "UNCTAD (basada en la M49)",
				"ru": "ЮНКТАД (на основе M49)", "zh": "贸发会议（基于M49）", "ar": "الأونكتاد (استناداً إلى M49)"},
				Source: "UNCTADstat, Classifications: developed = Northern America, Europe, Israel, Japan, Republic of Korea, Australia, New Zealand",
				Dated:  time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
			{Code: concord.SchemeSelfDeclared, Names: concord.Text{"en": "Self-declared", "fr": "Autodéclaration", "es": "Autodeclaración",
				"ru": "Самоопределение", "zh": "自我申报", "ar": "الإعلان الذاتي"},
				Source: "Declarations by States, recorded by the Secretariat", Dated: tx.Now, Editable: true},
		}
		for _, s := range schemes {
			if _, err := tx.exec(ctx, "INSERT INTO classification_schemes (code, names, source, dated, editable) VALUES ($1, $2, $3, $4, $5)",
				s.Code, textJSON(s.Names), s.Source, s.Dated, s.Editable); err != nil {
				return err
			}
		}
		for _, s := range states {
			if s.Status != "member" {
				continue
			}
			cs := concord.State{ISO3: s.ISO3, Region: s.Region, SubRegion: s.SubRegion}
			cat := concord.UNCTADCategory(cs)
			// The self-declared scheme starts from the UNCTAD rule; States
			// and the Secretariat then change what they declare otherwise.
			for _, scheme := range []string{concord.SchemeUNCTAD, concord.SchemeSelfDeclared} {
				if _, err := tx.exec(ctx, "INSERT INTO state_classifications (scheme, state, category) VALUES ($1, $2, $3)", scheme, s.ISO3, cat); err != nil {
					return err
				}
			}
		}
		p := concord.Process{Code: concord.DefaultProcessCode, TimeZone: "America/New_York", Scheme: concord.SchemeUNCTAD,
			Names: concord.Text{
				"en": "Global Mechanism on developments in the field of information and communications technologies in the context of international security",
				"fr": "Mécanisme mondial sur les progrès de l'informatique et des télécommunications dans le contexte de la sécurité internationale",
				"es": "Mecanismo Mundial sobre los Avances en la Esfera de la Información y las Telecomunicaciones en el Contexto de la Seguridad Internacional",
				"ru": "Глобальный механизм по достижениям в сфере информатизации и телекоммуникаций в контексте международной безопасности",
				"zh": "从国际安全角度看信息和电信领域发展全球机制",
				"ar": "الآلية العالمية المعنية بالتطورات في ميدان المعلومات والاتصالات السلكية واللاسلكية في سياق الأمن الدولي",
			}}
		if _, err := tx.exec(ctx, "INSERT INTO processes (code, names, time_zone, scheme) VALUES ($1, $2, $3, $4)",
			p.Code, textJSON(p.Names), p.TimeZone, p.Scheme); err != nil {
			return err
		}
		if err := tx.Audit("process.load", "process", p.Code, nil, map[string]int{"states": len(states)}, true); err != nil {
			return err
		}
		return tx.ensureRules()
	})
}

// ensureRules gives a new instance the default accreditation and
// procedure rules, and the search index its States (and, once, whatever a
// database that predates the index holds).
func (tx *Tx) ensureRules() error {
	if err := tx.ensureAccreditationPolicy(); err != nil {
		return err
	}
	if err := tx.ensureSearch(); err != nil {
		return err
	}
	return tx.ensureProcedureRules()
}

// ensureAccreditationPolicy gives the Global Mechanism the accreditation
// rules of the 2022 practice as version 1 when it has none, so that a new
// instance has rules in force (the Secretariat adds versions from there).
func (tx *Tx) ensureAccreditationPolicy() error {
	var n int
	if err := tx.row(tx.ctx, "SELECT COUNT(*) FROM accreditation_policies WHERE process = $1", concord.DefaultProcessCode).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		tx.audited = true // nothing written: no entry needed
		return nil
	}
	p := accreditation.DefaultPolicy(concord.DefaultProcessCode, time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC))
	return tx.AddAccreditationPolicy(&p)
}

// CountUsers returns the number of accounts.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.r().row(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}
