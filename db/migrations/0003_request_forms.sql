-- The Technical Support and Sales Support request forms of the Mattermost support handbook, as data.
-- Generated once from the handbook's tables; edit through the ticket_fields / ticket_forms API afterwards.

INSERT INTO ticket_fields (type, key, title, title_in_portal, description, position, required, required_in_portal, visible_in_portal, editable_in_portal, removable, regexp_for_validation) VALUES
  ('subject', 'subject', 'Subject', 'Subject', 'A brief description of the issue.', 1, true, true, true, true, false, NULL),
  ('description', 'description', 'Description', 'Description', 'Provide as much detail as possible to enable the Support Team to recreate the issue. Please refer to the troubleshooting guide for what is required.', 2, true, true, true, true, false, NULL),
  ('status', 'status', 'Status', 'Status', 'Request status', 3, false, false, false, false, false, NULL),
  ('priority', 'priority', 'Priority', 'Priority', 'Urgent, High, Normal, or Low.', 4, false, true, true, true, false, NULL),
  ('group', 'group', 'Group', 'Group', 'Request group', 5, false, false, false, false, false, NULL),
  ('assignee', 'assignee', 'Assignee', 'Assignee', 'Agent assigned to your request', 6, false, false, true, false, false, NULL),
  ('tagger', 'technical_category', 'Category', 'Category', 'Select a category that best fits the product area affected by the issue raised.', 10, false, true, true, true, true, NULL),
  ('tagger', 'sales_category', 'Category', 'Category', 'Select a category that best fits the product area affected by the issue raised.', 11, false, true, true, true, true, NULL),
  ('tagger', 'environment', 'Environment', 'Environment', 'Select the environment where you are experiencing the issue.', 12, false, true, true, true, true, NULL),
  ('regexp', 'mattermost_version', 'Mattermost Version', 'Mattermost Version', 'Enter the number of the Mattermost server version you are currently running, for example 9.11.2.', 13, false, true, true, true, true, '^[vV]?[0-9]+\.[0-9]+(\.[0-9]+)?([-+. ][0-9A-Za-z.+ -]{0,40})?$'),
  ('text', 'mattermost_mobile_version', 'Mattermost Mobile Version', 'Mattermost Mobile Version', 'If the issue you are reporting is on a mobile device, enter the version here.', 14, false, false, true, true, true, NULL),
  ('tagger', 'mobile_device', 'Mobile Device', 'Mobile Device', 'Please select which type of device you are experiencing the issue on.', 15, false, false, true, true, true, NULL);

INSERT INTO ticket_field_options (field_id, name, value, description, position) VALUES
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'General inquiry', 'general_inquiry', 'Tickets regarding general Mattermost functionality', 1),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'AD/LDAP', 'ad_ldap', 'Tickets regarding AD/LDAP functionality', 2),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'Authentication & Provisioning', 'authentication_provisioning', 'Tickets regarding Authentication & Provisioning functionality', 3),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'Compliance & Auditing', 'compliance_auditing', 'Tickets regarding Compliance & Auditing functionality', 4),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'Connectivity', 'connectivity', 'Tickets regarding Connectivity functionality', 5),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'Customization & Branding', 'customization_branding', 'Tickets regarding Customization & Branding functionality', 6),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'Data Export and Import', 'data_export_and_import', 'Tickets regarding Data Export and Import functionality', 7),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'Database', 'database', 'Tickets regarding Database functionality', 8),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'Desktop', 'desktop', 'Tickets regarding Desktop functionality', 9),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'Developer Toolkit', 'developer_toolkit', 'Tickets regarding Developer Toolkit functionality', 10),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'DevOps Command Center', 'devops_command_center', 'Tickets regarding DevOps Command Center functionality', 11),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'General', 'general', 'Tickets regarding General functionality', 12),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'Installation', 'installation', 'Tickets regarding Installation functionality', 13),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'Integrations', 'integrations', 'Tickets regarding Integrations functionality', 14),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'Invitation & Login', 'invitation_login', 'Tickets regarding Invitation & Login functionality', 15),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'Messaging', 'messaging', 'Tickets regarding Messaging functionality', 16),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'Mobile', 'mobile', 'Tickets regarding Mobile functionality', 17),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'Notifications & Status', 'notifications_status', 'Tickets regarding Notifications & Status functionality', 18),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'Onboarding', 'onboarding', 'Tickets regarding Onboarding functionality', 19),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'Roles & Permissions', 'roles_permissions', 'Tickets regarding Roles & Permissions functionality', 20),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'Search', 'search', 'Tickets regarding Search functionality', 21),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'Server Issues', 'server_issues', 'Tickets regarding Server Issues functionality', 22),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'System Console', 'system_console', 'Tickets regarding System Console functionality', 23),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'Upgrading', 'upgrading', 'Tickets regarding Upgrading functionality', 24),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'User Interface', 'user_interface', 'Tickets regarding User Interface functionality', 25),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'User, Team & Channel Management', 'user_team_channel_management', 'Tickets regarding User, Team & Channel Management functionality', 26),
  ((SELECT id FROM ticket_fields WHERE key = 'technical_category'), 'User issue', 'user_issue', 'Tickets regarding end user issues such as password resets', 27),
  ((SELECT id FROM ticket_fields WHERE key = 'sales_category'), 'Credit Card Issues', 'sales_credit_card_issues', 'Problems regarding issues with credit card payment.', 1),
  ((SELECT id FROM ticket_fields WHERE key = 'sales_category'), 'General', 'sales_general', 'For issues that don''t fit the other categories.', 2),
  ((SELECT id FROM ticket_fields WHERE key = 'sales_category'), 'Licensing', 'sales_licensing', 'For questions regarding the licensing of the Mattermost Product.', 3),
  ((SELECT id FROM ticket_fields WHERE key = 'sales_category'), 'Pricing', 'sales_pricing', 'For questions regarding the pricing of Mattermost.', 4),
  ((SELECT id FROM ticket_fields WHERE key = 'sales_category'), 'Product', 'sales_product', 'For questions about the different products offered. For Technical Support use the Technical Support form.', 5),
  ((SELECT id FROM ticket_fields WHERE key = 'sales_category'), 'Renewals', 'sales_renewals', 'For questions regarding license renewals.', 6),
  ((SELECT id FROM ticket_fields WHERE key = 'environment'), 'Production', 'production', 'An instance actively used by your business users', 1),
  ((SELECT id FROM ticket_fields WHERE key = 'environment'), 'Staging', 'staging', 'A pre-production copy of production', 2),
  ((SELECT id FROM ticket_fields WHERE key = 'environment'), 'Development', 'development', 'A development instance', 3),
  ((SELECT id FROM ticket_fields WHERE key = 'environment'), 'Test', 'test', 'A test or evaluation instance', 4),
  ((SELECT id FROM ticket_fields WHERE key = 'mobile_device'), 'iOS', 'ios', '', 1),
  ((SELECT id FROM ticket_fields WHERE key = 'mobile_device'), 'Android', 'android', '', 2),
  ((SELECT id FROM ticket_fields WHERE key = 'mobile_device'), 'Not applicable', 'not_applicable', '', 3);

INSERT INTO ticket_forms (kind, name, display_name, description, position, is_default, default_group_key) VALUES
  ('technical', 'Technical Support', 'Technical Support', 'Product problems, errors, outages, installation, upgrades and configuration of Mattermost.', 1, true, 'technical'),
  ('sales', 'Sales Support', 'Sales Support', 'Purchases, credit cards, licences, pricing, products and renewals.', 2, false, 'sales');

INSERT INTO ticket_form_fields (form_id, field_id, position) VALUES
  ((SELECT id FROM ticket_forms WHERE kind = 'technical'), (SELECT id FROM ticket_fields WHERE key = 'subject'), 1),
  ((SELECT id FROM ticket_forms WHERE kind = 'technical'), (SELECT id FROM ticket_fields WHERE key = 'priority'), 2),
  ((SELECT id FROM ticket_forms WHERE kind = 'technical'), (SELECT id FROM ticket_fields WHERE key = 'technical_category'), 3),
  ((SELECT id FROM ticket_forms WHERE kind = 'technical'), (SELECT id FROM ticket_fields WHERE key = 'description'), 4),
  ((SELECT id FROM ticket_forms WHERE kind = 'technical'), (SELECT id FROM ticket_fields WHERE key = 'environment'), 5),
  ((SELECT id FROM ticket_forms WHERE kind = 'technical'), (SELECT id FROM ticket_fields WHERE key = 'mattermost_version'), 6),
  ((SELECT id FROM ticket_forms WHERE kind = 'technical'), (SELECT id FROM ticket_fields WHERE key = 'mattermost_mobile_version'), 7),
  ((SELECT id FROM ticket_forms WHERE kind = 'technical'), (SELECT id FROM ticket_fields WHERE key = 'mobile_device'), 8),
  ((SELECT id FROM ticket_forms WHERE kind = 'sales'), (SELECT id FROM ticket_fields WHERE key = 'subject'), 1),
  ((SELECT id FROM ticket_forms WHERE kind = 'sales'), (SELECT id FROM ticket_fields WHERE key = 'sales_category'), 2),
  ((SELECT id FROM ticket_forms WHERE kind = 'sales'), (SELECT id FROM ticket_fields WHERE key = 'description'), 3);

-- Mattermost Mobile Version is required when the category is Mobile or a mobile device is chosen.
UPDATE ticket_forms f SET end_user_conditions = c.conditions, agent_conditions = c.conditions
FROM (
  SELECT jsonb_build_array(
    jsonb_build_object('parent_field_id', cat.id, 'value', 'mobile', 'child_fields', jsonb_build_array(jsonb_build_object('id', mv.id, 'is_required', true))),
    jsonb_build_object('parent_field_id', dev.id, 'value', 'ios', 'child_fields', jsonb_build_array(jsonb_build_object('id', mv.id, 'is_required', true))),
    jsonb_build_object('parent_field_id', dev.id, 'value', 'android', 'child_fields', jsonb_build_array(jsonb_build_object('id', mv.id, 'is_required', true)))
  ) AS conditions
  FROM ticket_fields cat, ticket_fields mv, ticket_fields dev
  WHERE cat.key = 'technical_category' AND mv.key = 'mattermost_mobile_version' AND dev.key = 'mobile_device'
) c
WHERE f.kind = 'technical';
