package web

// Strings of the security work (login throttle, body limits, contact
// visibility, SMS code throttle, receipt beacons).
func init() {
	addMessages(map[string][2]string{
		"contacts.hidden": {"Kontaktuppgifter till andra enheter visas bara för krisledningen.",
			"Contact details of other units are shown to the crisis staff only."},
	})
}
