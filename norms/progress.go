package norms

// Counts are how many actions stand at each status, and how many of the
// actions counted no report covers.
type Counts struct {
	Implemented   int
	InProgress    int
	NotStarted    int
	NotApplicable int
	NotReported   int
}

// Total is every action counted.
func (c Counts) Total() int {
	return c.Implemented + c.InProgress + c.NotStarted + c.NotApplicable + c.NotReported
}

// Of returns the count of status s.
func (c Counts) Of(s Status) int {
	switch s {
	case Implemented:
		return c.Implemented
	case InProgress:
		return c.InProgress
	case NotStarted:
		return c.NotStarted
	case NotApplicable:
		return c.NotApplicable
	}
	return c.NotReported
}

// Percent is the share of the actions that apply (not "not applicable")
// that are implemented, rounded down; 0 when none applies.
func (c Counts) Percent() int {
	applies := c.Total() - c.NotApplicable
	if applies == 0 {
		return 0
	}
	return c.Implemented * 100 / applies
}

// add counts n actions at status s, taking them from the not reported.
func (c *Counts) add(s Status, n int) {
	switch s {
	case Implemented:
		c.Implemented += n
	case InProgress:
		c.InProgress += n
	case NotStarted:
		c.NotStarted += n
	case NotApplicable:
		c.NotApplicable += n
	default:
		return
	}
	c.NotReported -= n
}

// Mark is the status of one action reported by one State: what the
// progress figures count (the reports the reader may see).
type Mark struct {
	State  string
	Action string
	Status Status
}

// Row is one line of a progress view: a norm, a State or a region, with its
// counts and how many States it covers.
type Row struct {
	Key    string // the norm's letter, the State's ISO3 or the region's code
	States int    // the reporting States it covers
	Counts Counts
}

// Tally is how many reports of one key (a norm's letter or a State's
// ISO3) stand at one status: what a store counts in its query, so that the
// progress views read a few hundred rows however many reports there are.
type Tally struct {
	Key    string
	Status Status
	N      int
}

// ByNorm is the progress per norm over the States that reported: for each
// of the eleven norms, its actions' statuses across those States, the
// actions a reporting State left out counted as not reported.
func ByNorm(marks []Mark) []Row {
	var t []Tally
	states := map[string]bool{}
	for _, m := range marks {
		if a, ok := LookupAction(m.Action); ok {
			t = append(t, Tally{Key: a.Norm, Status: m.Status, N: 1})
			states[m.State] = true
		}
	}
	return NormRows(t, len(states))
}

// NormRows is the progress per norm from tallies keyed by norm letter over
// states reporting States.
func NormRows(tallies []Tally, states int) []Row {
	rows := make([]Row, len(checklist))
	at := map[string]int{}
	for i, n := range checklist {
		rows[i] = Row{Key: n.Letter, States: states}
		rows[i].Counts.NotReported = states * len(n.Actions)
		at[n.Letter] = i
	}
	for _, t := range tallies {
		if i, ok := at[t.Key]; ok {
			rows[i].Counts.add(t.Status, t.N)
		}
	}
	return rows
}

// ForState is the progress of one State per norm (its marks only).
func ForState(state string, marks []Mark) []Row {
	var t []Tally
	for _, m := range marks {
		if a, ok := LookupAction(m.Action); ok && m.State == state {
			t = append(t, Tally{Key: a.Norm, Status: m.Status, N: 1})
		}
	}
	return NormRows(t, 1)
}

// ByState is the progress of each reporting State over the whole
// checklist, in order of first appearance.
func ByState(marks []Mark) []Row {
	var t []Tally
	for _, m := range marks {
		if _, ok := LookupAction(m.Action); ok {
			t = append(t, Tally{Key: m.State, Status: m.Status, N: 1})
		}
	}
	return StateRows(t)
}

// StateRows is the progress of each State the tallies (keyed by ISO3)
// name, in order of first appearance.
func StateRows(tallies []Tally) []Row {
	var rows []Row
	at := map[string]int{}
	for _, t := range tallies {
		i, ok := at[t.Key]
		if !ok {
			i = len(rows)
			at[t.Key] = i
			rows = append(rows, Row{Key: t.Key, States: 1, Counts: Counts{NotReported: ActionCount()}})
		}
		rows[i].Counts.add(t.Status, t.N)
	}
	return rows
}

// ByRegion is the progress per region (in the order regions gives, then
// "" for the States of no region, when there are any) from the States'
// rows; region says which region a State belongs to.
func ByRegion(byState []Row, regions []string, region func(state string) string) []Row {
	rows := make([]Row, len(regions)+1)
	at := map[string]int{}
	for i, r := range regions {
		rows[i] = Row{Key: r}
		at[r] = i
	}
	rows[len(regions)] = Row{Key: ""}
	for _, s := range byState {
		i, ok := at[region(s.Key)]
		if !ok {
			i = len(regions)
		}
		r := &rows[i]
		r.States++
		r.Counts.Implemented += s.Counts.Implemented
		r.Counts.InProgress += s.Counts.InProgress
		r.Counts.NotStarted += s.Counts.NotStarted
		r.Counts.NotApplicable += s.Counts.NotApplicable
		r.Counts.NotReported += s.Counts.NotReported
	}
	if rows[len(regions)].States == 0 {
		rows = rows[:len(regions)]
	}
	return rows
}
