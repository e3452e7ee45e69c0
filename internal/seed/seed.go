// Package seed adds data sets: a small realistic demo of the Global
// Mechanism's registry, and large synthetic ones for benchmarks. All writes go
// through the store's audited transactions, like any other write.
package seed

import (
	"context"
	"fmt"
	"math/rand/v2"

	"concord"
	"concord/internal/store"
)

// euMembers are the 27 Member States of the European Union.
var euMembers = []string{"AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL",
	"ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE"}

type demoOrg struct {
	kind, typ, country, ecosoc, acronym, website string
	names                                        concord.Text
	members                                      []string
}

var demoOrgs = []demoOrg{
	{kind: concord.OrgNamedGroup, acronym: "EU", names: concord.Text{"en": "European Union", "fr": "Union européenne", "es": "Unión Europea", "ru": "Европейский союз", "zh": "欧洲联盟", "ar": "الاتحاد الأوروبي"}, members: euMembers},
	{kind: concord.OrgNamedGroup, names: concord.Text{"en": "Group of 77 and China", "fr": "Groupe des 77 et la Chine", "es": "Grupo de los 77 y China"}},
	{kind: concord.OrgNamedGroup, acronym: "NAM", names: concord.Text{"en": "Non-Aligned Movement", "fr": "Mouvement des pays non alignés"}},
	{kind: concord.OrgIGO, acronym: "ITU", website: "https://www.itu.int", names: concord.Text{"en": "International Telecommunication Union", "fr": "Union internationale des télécommunications", "es": "Unión Internacional de Telecomunicaciones"}},
	{kind: concord.OrgIGO, acronym: "UNIDIR", website: "https://unidir.org", names: concord.Text{"en": "United Nations Institute for Disarmament Research", "fr": "Institut des Nations Unies pour la recherche sur le désarmement"}},
	{kind: concord.OrgIGO, acronym: "OSCE", names: concord.Text{"en": "Organization for Security and Co-operation in Europe"}},
	{kind: concord.OrgStakeholder, typ: "ngo", country: "CHE", ecosoc: "special", website: "https://ict4peace.org", names: concord.Text{"en": "ICT4Peace Foundation"}},
	{kind: concord.OrgStakeholder, typ: "ngo", country: "USA", ecosoc: "special", website: "https://www.accessnow.org", names: concord.Text{"en": "Access Now", "es": "Access Now", "fr": "Access Now"}},
	{kind: concord.OrgStakeholder, typ: "business", country: "USA", website: "https://cybertechaccord.org", names: concord.Text{"en": "Cybersecurity Tech Accord"}},
	{kind: concord.OrgStakeholder, typ: "technical", country: "USA", ecosoc: "special", acronym: "ISOC", website: "https://www.internetsociety.org", names: concord.Text{"en": "Internet Society", "fr": "Internet Society"}},
	{kind: concord.OrgStakeholder, typ: "academia", country: "GBR", acronym: "", website: "https://www.chathamhouse.org", names: concord.Text{"en": "Royal Institute of International Affairs (Chatham House)"}},
	{kind: concord.OrgStakeholder, typ: "other", country: "NLD", acronym: "GFCE", website: "https://thegfce.org", names: concord.Text{"en": "Global Forum on Cyber Expertise"}},
	{kind: concord.OrgStakeholder, typ: "ngo", country: "KEN", names: concord.Text{"en": "Kenya ICT Action Network", "fr": "Réseau d'action TIC du Kenya"}, acronym: "KICTANet", website: "https://www.kictanet.or.ke"},
	{kind: concord.OrgStakeholder, typ: "academia", country: "SEN", names: concord.Text{"fr": "Centre de recherche sur la cybersécurité de Dakar", "en": "Dakar Cybersecurity Research Centre"}},
	{kind: concord.OrgStakeholder, typ: "ngo", country: "EGY", names: concord.Text{"ar": "المنتدى العربي للأمن السيبراني", "en": "Arab Cybersecurity Forum"}},
	{kind: concord.OrgStakeholder, typ: "business", country: "CHN", names: concord.Text{"zh": "网络安全产业联盟", "en": "Cybersecurity Industry Alliance"}},
	{kind: concord.OrgStakeholder, typ: "technical", country: "BRA", names: concord.Text{"es": "Red Latinoamericana de CSIRT", "en": "Latin American CSIRT Network"}},
	{kind: concord.OrgStakeholder, typ: "ngo", country: "RUS", names: concord.Text{"ru": "Центр информационной безопасности", "en": "Information Security Centre"}},
}

type demoDelegate struct{ state, name, gender, role string }

var demoDelegates = []demoDelegate{
	{"FRA", "Henri Verdier", "male", "head"}, {"FRA", "Camille Martin", "female", "member"},
	{"IRN", "Reza Najafi", "male", "head"}, {"RUS", "Artur Lyukmanov", "male", "head"},
	{"USA", "Liesyl Franz", "female", "head"}, {"CAN", "Sophie Tremblay", "female", "member"},
	{"BRA", "Eugênio Vargas Garcia", "male", "head"}, {"SEN", "Awa Ndiaye", "female", "head"},
	{"MAR", "Omar Hilale", "male", "head"}, {"COL", "María Fernanda Ruiz", "female", "member"},
	{"CHN", "Wang Lei", "male", "head"}, {"EGY", "Nour El-Din", "female", "adviser"},
	{"SGP", "Burhan Gafoor", "male", "head"}, {"NLD", "Nathalie Jaarsma", "female", "head"},
}

// DemoSession is the session code of the demo's delegations.
const DemoSession = "GM-2026-ORG"

// Demo adds named groups, IGOs, stakeholders, their focal persons,
// delegations to the organisational session, accreditation rounds, the
// organisational session's procedural disputes, the agenda, co-facilitator
// appointments, a topic survey, a briefer round and the delegation
// managers of France and Germany.
// Running it twice adds nothing.
func Demo(ctx context.Context, db *store.DB) error {
	if err := registry(ctx, db); err != nil {
		return err
	}
	if err := Accreditation(ctx, db); err != nil {
		return err
	}
	if err := Decisions(ctx, db); err != nil {
		return err
	}
	if err := Agenda(ctx, db); err != nil {
		return err
	}
	if err := Meetings(ctx, db); err != nil {
		return err
	}
	if err := POCs(ctx, db); err != nil {
		return err
	}
	if err := POCMessages(ctx, db); err != nil {
		return err
	}
	if err := Documents(ctx, db); err != nil {
		return err
	}
	if err := Statements(ctx, db); err != nil {
		return err
	}
	if err := Topics(ctx, db); err != nil {
		return err
	}
	if err := TopicStatements(ctx, db); err != nil {
		return err
	}
	if err := CoFacilitators(ctx, db); err != nil {
		return err
	}
	if err := Delegations(ctx, db); err != nil {
		return err
	}
	if err := Briefers(ctx, db); err != nil {
		return err
	}
	if err := Portal(ctx, db); err != nil {
		return err
	}
	if err := Fund(ctx, db); err != nil {
		return err
	}
	if err := Exercises(ctx, db); err != nil {
		return err
	}
	return Norms(ctx, db)
}

// registry adds the demo's organisations, persons and delegations once.
func registry(ctx context.Context, db *store.DB) error {
	_, n, err := db.ListOrganizations(ctx, store.OrgFilter{Kind: concord.OrgNamedGroup})
	if err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	return db.Update(ctx, "system", func(tx *store.Tx) error {
		for i, d := range demoOrgs {
			o := concord.Organization{Kind: d.kind, Type: d.typ, Country: d.country, ECOSOC: d.ecosoc, Acronym: d.acronym,
				Website: d.website, Names: d.names, Members: d.members}
			if err := tx.CreateOrganization(&o); err != nil {
				return fmt.Errorf("demo organisation %d: %w", i, err)
			}
			if d.kind == concord.OrgStakeholder {
				p := concord.Person{Name: fmt.Sprintf("Focal Point %d", i+1), OrgID: o.ID}
				if err := tx.CreatePerson(&p); err != nil {
					return err
				}
			}
		}
		for _, d := range demoDelegates {
			del := concord.Delegation{State: d.state, Session: DemoSession, Role: d.role}
			if err := tx.AddDelegate(&del, d.name, d.gender); err != nil {
				return fmt.Errorf("demo delegate %s: %w", d.name, err)
			}
		}
		return nil
	})
}

// Per unit of scale: the volumes the load tests are specified on.
const (
	OrgsPerScale    = 5000
	PersonsPerScale = 20000
)

var syllables = []string{"al", "be", "cor", "da", "el", "fa", "gi", "ha", "in", "jo", "ka", "lu", "ma", "no", "or", "pa", "qu", "ri", "sa", "tu", "ve", "wa", "xi", "yo", "za"}

func word(r *rand.Rand) string {
	n := 2 + r.IntN(2)
	b := []byte{}
	for range n {
		b = append(b, syllables[r.IntN(len(syllables))]...)
	}
	b[0] -= 'a' - 'A'
	return string(b)
}

// Scale adds scale × (5,000 stakeholder organisations, 20,000 persons,
// 1,000 meetings, 10,000 documents, 100,000 statements, 2,000 needs,
// 10,000 offers, 1,000 delegates), and every State's report on every
// action of the norms checklist, with
// a fixed random seed, so benchmark runs see the same data.
func Scale(ctx context.Context, db *store.DB, scale int) error {
	states, err := db.ListStates(ctx)
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(uint64(scale), 42))
	kinds := []string{"Foundation", "Institute", "Network", "Centre", "Association", "Council", "Lab", "Forum"}
	for batch := range scale {
		var orgIDs []int64
		err := db.Update(ctx, "system", func(tx *store.Tx) error {
			for i := range OrgsPerScale {
				st := states[r.IntN(len(states))]
				o := concord.Organization{Kind: concord.OrgStakeholder, Type: concord.StakeholderTypes[r.IntN(len(concord.StakeholderTypes))],
					Country: st.ISO3, ECOSOC: concord.ECOSOCCategories[r.IntN(len(concord.ECOSOCCategories))],
					Names: concord.Text{"en": fmt.Sprintf("%s %s %s %d", word(r), word(r), kinds[r.IntN(len(kinds))], batch*OrgsPerScale+i+1)}}
				if r.IntN(3) == 0 {
					o.Names["fr"] = "Fr " + o.Names["en"]
				}
				if err := tx.CreateOrganization(&o); err != nil {
					return err
				}
				orgIDs = append(orgIDs, o.ID)
			}
			for range PersonsPerScale {
				p := concord.Person{Name: word(r) + " " + word(r), Gender: []string{"female", "male", "", "other"}[r.IntN(4)]}
				if r.IntN(2) == 0 {
					p.OrgID = orgIDs[r.IntN(len(orgIDs))]
				} else {
					p.State = states[r.IntN(len(states))].ISO3
				}
				if err := tx.CreatePerson(&p); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := ScaleMeetings(ctx, db, r, batch); err != nil {
			return err
		}
		if err := ScaleDocuments(ctx, db, r, batch); err != nil {
			return err
		}
		if err := ScaleStatements(ctx, db, r, batch); err != nil {
			return err
		}
		if err := ScalePortal(ctx, db, r, batch); err != nil {
			return err
		}
		if err := ScaleDelegates(ctx, db, r, batch); err != nil {
			return err
		}
	}
	// The checklist does not grow with scale: every State reports on
	// every action once.
	return ScaleNorms(ctx, db, r)
}
