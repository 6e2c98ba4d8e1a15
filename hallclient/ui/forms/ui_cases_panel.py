# Generated from forms/cases_panel.ui by hallclient.ui.formbuild (pyside6-uic). Do not edit.
# -*- coding: utf-8 -*-


from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QComboBox, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPushButton,
    QSizePolicy, QSplitter, QTableView, QTextBrowser,
    QVBoxLayout, QWidget)

class Ui_CasesPanel(object):
    def setupUi(self, CasesPanel):
        if not CasesPanel.objectName():
            CasesPanel.setObjectName(u"CasesPanel")
        CasesPanel.resize(1366, 700)
        self.panelLayout = QVBoxLayout(CasesPanel)
        self.panelLayout.setObjectName(u"panelLayout")
        self.panelLayout.setContentsMargins(4, 4, 4, 4)
        self.filterLayout = QHBoxLayout()
        self.filterLayout.setObjectName(u"filterLayout")
        self.stateLabel = QLabel(CasesPanel)
        self.stateLabel.setObjectName(u"stateLabel")

        self.filterLayout.addWidget(self.stateLabel)

        self.stateCombo = QComboBox(CasesPanel)
        self.stateCombo.setObjectName(u"stateCombo")
        self.stateCombo.setMinimumSize(QSize(150, 0))
        self.stateCombo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.filterLayout.addWidget(self.stateCombo)

        self.searchEdit = QLineEdit(CasesPanel)
        self.searchEdit.setObjectName(u"searchEdit")
        self.searchEdit.setClearButtonEnabled(True)

        self.filterLayout.addWidget(self.searchEdit)

        self.countLabel = QLabel(CasesPanel)
        self.countLabel.setObjectName(u"countLabel")

        self.filterLayout.addWidget(self.countLabel)

        self.refreshButton = QPushButton(CasesPanel)
        self.refreshButton.setObjectName(u"refreshButton")

        self.filterLayout.addWidget(self.refreshButton)


        self.panelLayout.addLayout(self.filterLayout)

        self.casesSplitter = QSplitter(CasesPanel)
        self.casesSplitter.setObjectName(u"casesSplitter")
        self.casesSplitter.setOrientation(Qt.Orientation.Vertical)
        self.casesSplitter.setChildrenCollapsible(False)
        self.casesTable = QTableView(self.casesSplitter)
        self.casesTable.setObjectName(u"casesTable")
        self.casesTable.setMinimumSize(QSize(0, 150))
        self.casesTable.setTabKeyNavigation(False)
        self.casesTable.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.casesTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.casesTable.setWordWrap(False)
        self.casesSplitter.addWidget(self.casesTable)
        self.casesTable.verticalHeader().setVisible(False)
        self.detailBrowser = QTextBrowser(self.casesSplitter)
        self.detailBrowser.setObjectName(u"detailBrowser")
        self.detailBrowser.setMinimumSize(QSize(0, 150))
        self.detailBrowser.setTabChangesFocus(True)
        self.detailBrowser.setOpenLinks(False)
        self.casesSplitter.addWidget(self.detailBrowser)

        self.panelLayout.addWidget(self.casesSplitter)

        self.actionLayout = QHBoxLayout()
        self.actionLayout.setObjectName(u"actionLayout")
        self.messageLabel = QLabel(CasesPanel)
        self.messageLabel.setObjectName(u"messageLabel")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        sizePolicy.setHorizontalStretch(1)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.messageLabel.sizePolicy().hasHeightForWidth())
        self.messageLabel.setSizePolicy(sizePolicy)
        self.messageLabel.setWordWrap(True)
        self.messageLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.actionLayout.addWidget(self.messageLabel)

        self.supplementButton = QPushButton(CasesPanel)
        self.supplementButton.setObjectName(u"supplementButton")

        self.actionLayout.addWidget(self.supplementButton)

        self.returnButton = QPushButton(CasesPanel)
        self.returnButton.setObjectName(u"returnButton")

        self.actionLayout.addWidget(self.returnButton)

        self.reintakeButton = QPushButton(CasesPanel)
        self.reintakeButton.setObjectName(u"reintakeButton")

        self.actionLayout.addWidget(self.reintakeButton)

        self.receiptButton = QPushButton(CasesPanel)
        self.receiptButton.setObjectName(u"receiptButton")

        self.actionLayout.addWidget(self.receiptButton)


        self.panelLayout.addLayout(self.actionLayout)

#if QT_CONFIG(shortcut)
        self.stateLabel.setBuddy(self.stateCombo)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.stateCombo, self.searchEdit)
        QWidget.setTabOrder(self.searchEdit, self.casesTable)
        QWidget.setTabOrder(self.casesTable, self.detailBrowser)
        QWidget.setTabOrder(self.detailBrowser, self.supplementButton)
        QWidget.setTabOrder(self.supplementButton, self.returnButton)
        QWidget.setTabOrder(self.returnButton, self.reintakeButton)
        QWidget.setTabOrder(self.reintakeButton, self.receiptButton)
        QWidget.setTabOrder(self.receiptButton, self.refreshButton)

        self.retranslateUi(CasesPanel)

        QMetaObject.connectSlotsByName(CasesPanel)
    # setupUi

    def retranslateUi(self, CasesPanel):
        CasesPanel.setWindowTitle(QCoreApplication.translate("CasesPanel", u"\u529e\u4ef6\u8ddf\u8e2a", None))
        self.stateLabel.setText(QCoreApplication.translate("CasesPanel", u"\u8303\u56f4(&W)\uff1a", None))
        self.searchEdit.setPlaceholderText(QCoreApplication.translate("CasesPanel", u"\u53d7\u7406\u7f16\u53f7\u3001\u7533\u8bf7\u4eba\u59d3\u540d\u6216\u5b8c\u6574\u8bc1\u4ef6\u53f7\u3000Ctrl+K", None))
        self.countLabel.setText("")
#if QT_CONFIG(tooltip)
        self.refreshButton.setToolTip(QCoreApplication.translate("CasesPanel", u"\u91cd\u65b0\u8bfb\u53d6\u529e\u4ef6\u5217\u8868\uff08Ctrl+R\uff09", None))
#endif // QT_CONFIG(tooltip)
        self.refreshButton.setText(QCoreApplication.translate("CasesPanel", u"\u5237\u65b0 Ctrl+R", None))
        self.messageLabel.setText("")
#if QT_CONFIG(tooltip)
        self.supplementButton.setToolTip(QCoreApplication.translate("CasesPanel", u"\u767b\u8bb0\u7533\u8bf7\u4eba\u8865\u4ea4\u7684\u5bb9\u7f3a\u6750\u6599", None))
#endif // QT_CONFIG(tooltip)
        self.supplementButton.setText(QCoreApplication.translate("CasesPanel", u"\u767b\u8bb0\u8865\u6b63(&B)", None))
#if QT_CONFIG(tooltip)
        self.returnButton.setToolTip(QCoreApplication.translate("CasesPanel", u"\u9000\u56de\u529e\u4ef6\u5e76\u586b\u5199\u539f\u56e0", None))
#endif // QT_CONFIG(tooltip)
        self.returnButton.setText(QCoreApplication.translate("CasesPanel", u"\u9000\u4ef6(&T)", None))
#if QT_CONFIG(tooltip)
        self.reintakeButton.setToolTip(QCoreApplication.translate("CasesPanel", u"\u7533\u8bf7\u4eba\u8865\u9f50\u6750\u6599\u540e\u518d\u6b21\u53d7\u7406\uff0c\u6309\u672c\u4ef6\u9884\u586b", None))
#endif // QT_CONFIG(tooltip)
        self.reintakeButton.setText(QCoreApplication.translate("CasesPanel", u"\u518d\u6b21\u53d7\u7406(&R)", None))
#if QT_CONFIG(tooltip)
        self.receiptButton.setToolTip(QCoreApplication.translate("CasesPanel", u"\u4e3a\u5df2\u6536\u4ef6\u3001\u5c1a\u672a\u53d7\u7406\u7684\u529e\u4ef6\u6253\u5370\u6536\u4ef6\u56de\u6267", None))
#endif // QT_CONFIG(tooltip)
        self.receiptButton.setText(QCoreApplication.translate("CasesPanel", u"\u6253\u5370\u6536\u4ef6\u56de\u6267(&J)", None))
    # retranslateUi

