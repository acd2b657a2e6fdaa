package channel

// The settings of each channel kind, as `outpost channels set` stores
// them (JSON in the channels table). Secrets are kept here and never
// shown: listings print Redacted copies.

// EmailConfig is the SMTP relay that e-mail leaves through.
type EmailConfig struct {
	SMTP     string `json:"smtp"` // HOST:PORT
	From     string `json:"from"` // the sender's address
	User     string `json:"user,omitempty"`
	Password string `json:"password,omitempty"`
	StartTLS bool   `json:"starttls,omitempty"`
}

// SMSConfig is the operator's SMS centre, reached over SMPP 3.4.
type SMSConfig struct {
	SMPP     string `json:"smpp"` // HOST:PORT
	SystemID string `json:"system_id"`
	Password string `json:"password,omitempty"`
	Source   string `json:"source,omitempty"` // the source address messages carry
}

// WebhookConfig is a messenger bridge that takes messages as signed
// JSON POSTs and sends answers back to Outpost's inbound endpoint,
// signed with the same secret.
type WebhookConfig struct {
	URL    string `json:"url"`
	Secret string `json:"secret,omitempty"`
}
