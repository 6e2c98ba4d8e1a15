# Generated from forms/main_window.ui by hallclient.ui.formbuild (pyside6-uic). Do not edit.
# -*- coding: utf-8 -*-


from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QAction, QBrush, QColor, QConicalGradient,
    QCursor, QFont, QFontDatabase, QGradient,
    QIcon, QImage, QKeySequence, QLinearGradient,
    QPainter, QPalette, QPixmap, QRadialGradient,
    QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QGridLayout, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QListView,
    QListWidget, QListWidgetItem, QMainWindow, QMenu,
    QMenuBar, QPushButton, QSizePolicy, QSplitter,
    QStatusBar, QTabWidget, QTableView, QVBoxLayout,
    QWidget)

class Ui_MainWindow(object):
    def setupUi(self, MainWindow):
        if not MainWindow.objectName():
            MainWindow.setObjectName(u"MainWindow")
        MainWindow.resize(1366, 768)
        self.actionImportCatalog = QAction(MainWindow)
        self.actionImportCatalog.setObjectName(u"actionImportCatalog")
        self.actionExportCatalog = QAction(MainWindow)
        self.actionExportCatalog.setObjectName(u"actionExportCatalog")
        self.actionSyncNow = QAction(MainWindow)
        self.actionSyncNow.setObjectName(u"actionSyncNow")
        self.actionQuit = QAction(MainWindow)
        self.actionQuit.setObjectName(u"actionQuit")
        self.actionFocusSearch = QAction(MainWindow)
        self.actionFocusSearch.setObjectName(u"actionFocusSearch")
        self.actionStartIntake = QAction(MainWindow)
        self.actionStartIntake.setObjectName(u"actionStartIntake")
        self.actionIntakeByCode = QAction(MainWindow)
        self.actionIntakeByCode.setObjectName(u"actionIntakeByCode")
        self.actionPrintCase = QAction(MainWindow)
        self.actionPrintCase.setObjectName(u"actionPrintCase")
        self.actionWindowSettings = QAction(MainWindow)
        self.actionWindowSettings.setObjectName(u"actionWindowSettings")
        self.actionShortcuts = QAction(MainWindow)
        self.actionShortcuts.setObjectName(u"actionShortcuts")
        self.actionLock = QAction(MainWindow)
        self.actionLock.setObjectName(u"actionLock")
        self.actionSwitchUser = QAction(MainWindow)
        self.actionSwitchUser.setObjectName(u"actionSwitchUser")
        self.actionAbout = QAction(MainWindow)
        self.actionAbout.setObjectName(u"actionAbout")
        self.centralwidget = QWidget(MainWindow)
        self.centralwidget.setObjectName(u"centralwidget")
        self.centralLayout = QVBoxLayout(self.centralwidget)
        self.centralLayout.setObjectName(u"centralLayout")
        self.centralLayout.setContentsMargins(6, 6, 6, 2)
        self.mainTabs = QTabWidget(self.centralwidget)
        self.mainTabs.setObjectName(u"mainTabs")
        self.catalogTab = QWidget()
        self.catalogTab.setObjectName(u"catalogTab")
        self.catalogTabLayout = QHBoxLayout(self.catalogTab)
        self.catalogTabLayout.setObjectName(u"catalogTabLayout")
        self.catalogTabLayout.setContentsMargins(4, 4, 4, 4)
        self.catalogSplitter = QSplitter(self.catalogTab)
        self.catalogSplitter.setObjectName(u"catalogSplitter")
        self.catalogSplitter.setOrientation(Qt.Orientation.Horizontal)
        self.catalogSplitter.setChildrenCollapsible(False)
        self.searchPane = QWidget(self.catalogSplitter)
        self.searchPane.setObjectName(u"searchPane")
        self.searchLayout = QVBoxLayout(self.searchPane)
        self.searchLayout.setObjectName(u"searchLayout")
        self.searchLayout.setContentsMargins(0, 0, 0, 0)
        self.searchEdit = QLineEdit(self.searchPane)
        self.searchEdit.setObjectName(u"searchEdit")
        self.searchEdit.setClearButtonEnabled(True)

        self.searchLayout.addWidget(self.searchEdit)

        self.resultCountLabel = QLabel(self.searchPane)
        self.resultCountLabel.setObjectName(u"resultCountLabel")

        self.searchLayout.addWidget(self.resultCountLabel)

        self.resultList = QListView(self.searchPane)
        self.resultList.setObjectName(u"resultList")
        self.resultList.setMinimumSize(QSize(240, 0))
        self.resultList.setUniformItemSizes(True)

        self.searchLayout.addWidget(self.resultList)

        self.bundleLabel = QLabel(self.searchPane)
        self.bundleLabel.setObjectName(u"bundleLabel")

        self.searchLayout.addWidget(self.bundleLabel)

        self.bundleList = QListWidget(self.searchPane)
        self.bundleList.setObjectName(u"bundleList")
        self.bundleList.setMaximumSize(QSize(16777215, 110))

        self.searchLayout.addWidget(self.bundleList)

        self.catalogSplitter.addWidget(self.searchPane)
        self.detailPane = QWidget(self.catalogSplitter)
        self.detailPane.setObjectName(u"detailPane")
        self.detailLayout = QVBoxLayout(self.detailPane)
        self.detailLayout.setObjectName(u"detailLayout")
        self.detailLayout.setContentsMargins(6, 0, 0, 0)
        self.titleRow = QHBoxLayout()
        self.titleRow.setObjectName(u"titleRow")
        self.itemTitle = QLabel(self.detailPane)
        self.itemTitle.setObjectName(u"itemTitle")
        self.itemTitle.setWordWrap(True)
        self.itemTitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.titleRow.addWidget(self.itemTitle)

        self.startIntakeButton = QPushButton(self.detailPane)
        self.startIntakeButton.setObjectName(u"startIntakeButton")
        self.startIntakeButton.setEnabled(False)

        self.titleRow.addWidget(self.startIntakeButton)

        self.titleRow.setStretch(0, 1)

        self.detailLayout.addLayout(self.titleRow)

        self.factsGrid = QGridLayout()
        self.factsGrid.setObjectName(u"factsGrid")
        self.factsGrid.setHorizontalSpacing(12)
        self.factsGrid.setVerticalSpacing(3)
        self.codeCaption = QLabel(self.detailPane)
        self.codeCaption.setObjectName(u"codeCaption")

        self.factsGrid.addWidget(self.codeCaption, 0, 0, 1, 1)

        self.codeValue = QLabel(self.detailPane)
        self.codeValue.setObjectName(u"codeValue")
        self.codeValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.factsGrid.addWidget(self.codeValue, 0, 1, 1, 1)

        self.typeCaption = QLabel(self.detailPane)
        self.typeCaption.setObjectName(u"typeCaption")

        self.factsGrid.addWidget(self.typeCaption, 0, 2, 1, 1)

        self.typeValue = QLabel(self.detailPane)
        self.typeValue.setObjectName(u"typeValue")

        self.factsGrid.addWidget(self.typeValue, 0, 3, 1, 1)

        self.departmentCaption = QLabel(self.detailPane)
        self.departmentCaption.setObjectName(u"departmentCaption")

        self.factsGrid.addWidget(self.departmentCaption, 1, 0, 1, 1)

        self.departmentValue = QLabel(self.detailPane)
        self.departmentValue.setObjectName(u"departmentValue")
        self.departmentValue.setWordWrap(True)

        self.factsGrid.addWidget(self.departmentValue, 1, 1, 1, 1)

        self.categoryCaption = QLabel(self.detailPane)
        self.categoryCaption.setObjectName(u"categoryCaption")

        self.factsGrid.addWidget(self.categoryCaption, 1, 2, 1, 1)

        self.categoryValue = QLabel(self.detailPane)
        self.categoryValue.setObjectName(u"categoryValue")

        self.factsGrid.addWidget(self.categoryValue, 1, 3, 1, 1)

        self.limitsCaption = QLabel(self.detailPane)
        self.limitsCaption.setObjectName(u"limitsCaption")

        self.factsGrid.addWidget(self.limitsCaption, 2, 0, 1, 1)

        self.limitsValue = QLabel(self.detailPane)
        self.limitsValue.setObjectName(u"limitsValue")

        self.factsGrid.addWidget(self.limitsValue, 2, 1, 1, 1)

        self.feeCaption = QLabel(self.detailPane)
        self.feeCaption.setObjectName(u"feeCaption")

        self.factsGrid.addWidget(self.feeCaption, 2, 2, 1, 1)

        self.feeValue = QLabel(self.detailPane)
        self.feeValue.setObjectName(u"feeValue")
        self.feeValue.setWordWrap(True)

        self.factsGrid.addWidget(self.feeValue, 2, 3, 1, 1)

        self.flagsCaption = QLabel(self.detailPane)
        self.flagsCaption.setObjectName(u"flagsCaption")

        self.factsGrid.addWidget(self.flagsCaption, 3, 0, 1, 1)

        self.flagsValue = QLabel(self.detailPane)
        self.flagsValue.setObjectName(u"flagsValue")
        self.flagsValue.setWordWrap(True)

        self.factsGrid.addWidget(self.flagsValue, 3, 1, 1, 3)

        self.conditionsCaption = QLabel(self.detailPane)
        self.conditionsCaption.setObjectName(u"conditionsCaption")

        self.factsGrid.addWidget(self.conditionsCaption, 4, 0, 1, 1)

        self.conditionsValue = QLabel(self.detailPane)
        self.conditionsValue.setObjectName(u"conditionsValue")
        self.conditionsValue.setWordWrap(True)
        self.conditionsValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.factsGrid.addWidget(self.conditionsValue, 4, 1, 1, 3)

        self.basisCaption = QLabel(self.detailPane)
        self.basisCaption.setObjectName(u"basisCaption")

        self.factsGrid.addWidget(self.basisCaption, 5, 0, 1, 1)

        self.basisValue = QLabel(self.detailPane)
        self.basisValue.setObjectName(u"basisValue")
        self.basisValue.setWordWrap(True)
        self.basisValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.factsGrid.addWidget(self.basisValue, 5, 1, 1, 3)

        self.factsGrid.setColumnStretch(1, 3)
        self.factsGrid.setColumnStretch(3, 2)

        self.detailLayout.addLayout(self.factsGrid)

        self.materialsCaption = QLabel(self.detailPane)
        self.materialsCaption.setObjectName(u"materialsCaption")

        self.detailLayout.addWidget(self.materialsCaption)

        self.materialsTable = QTableView(self.detailPane)
        self.materialsTable.setObjectName(u"materialsTable")
        self.materialsTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.materialsTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.materialsTable.setWordWrap(True)

        self.detailLayout.addWidget(self.materialsTable)

        self.catalogSplitter.addWidget(self.detailPane)

        self.catalogTabLayout.addWidget(self.catalogSplitter)

        self.mainTabs.addTab(self.catalogTab, "")

        self.centralLayout.addWidget(self.mainTabs)

        MainWindow.setCentralWidget(self.centralwidget)
        self.menubar = QMenuBar(MainWindow)
        self.menubar.setObjectName(u"menubar")
        self.menuFile = QMenu(self.menubar)
        self.menuFile.setObjectName(u"menuFile")
        self.menuCase = QMenu(self.menubar)
        self.menuCase.setObjectName(u"menuCase")
        self.menuSettings = QMenu(self.menubar)
        self.menuSettings.setObjectName(u"menuSettings")
        self.menuAccount = QMenu(self.menubar)
        self.menuAccount.setObjectName(u"menuAccount")
        self.menuHelp = QMenu(self.menubar)
        self.menuHelp.setObjectName(u"menuHelp")
        MainWindow.setMenuBar(self.menubar)
        self.statusbar = QStatusBar(MainWindow)
        self.statusbar.setObjectName(u"statusbar")
        MainWindow.setStatusBar(self.statusbar)

        self.menubar.addAction(self.menuFile.menuAction())
        self.menubar.addAction(self.menuCase.menuAction())
        self.menubar.addAction(self.menuSettings.menuAction())
        self.menubar.addAction(self.menuAccount.menuAction())
        self.menubar.addAction(self.menuHelp.menuAction())
        self.menuFile.addAction(self.actionImportCatalog)
        self.menuFile.addAction(self.actionExportCatalog)
        self.menuFile.addAction(self.actionSyncNow)
        self.menuFile.addSeparator()
        self.menuFile.addAction(self.actionQuit)
        self.menuCase.addAction(self.actionFocusSearch)
        self.menuCase.addAction(self.actionStartIntake)
        self.menuCase.addAction(self.actionIntakeByCode)
        self.menuCase.addAction(self.actionPrintCase)
        self.menuSettings.addAction(self.actionWindowSettings)
        self.menuAccount.addAction(self.actionLock)
        self.menuAccount.addAction(self.actionSwitchUser)
        self.menuHelp.addAction(self.actionShortcuts)
        self.menuHelp.addAction(self.actionAbout)

        self.retranslateUi(MainWindow)

        self.mainTabs.setCurrentIndex(0)


        QMetaObject.connectSlotsByName(MainWindow)
    # setupUi

    def retranslateUi(self, MainWindow):
        MainWindow.setWindowTitle(QCoreApplication.translate("MainWindow", u"\u7efc\u5408\u7a97\u53e3 \u00b7 hallclient", None))
        self.actionImportCatalog.setText(QCoreApplication.translate("MainWindow", u"\u5bfc\u5165\u4e8b\u9879\u6e05\u5355\u2026", None))
#if QT_CONFIG(shortcut)
        self.actionImportCatalog.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+I", None))
#endif // QT_CONFIG(shortcut)
        self.actionExportCatalog.setText(QCoreApplication.translate("MainWindow", u"\u5bfc\u51fa\u4e8b\u9879\u6e05\u5355\u2026", None))
#if QT_CONFIG(shortcut)
        self.actionExportCatalog.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+E", None))
#endif // QT_CONFIG(shortcut)
        self.actionSyncNow.setText(QCoreApplication.translate("MainWindow", u"\u7acb\u5373\u540c\u6b65", None))
#if QT_CONFIG(shortcut)
        self.actionSyncNow.setShortcut(QCoreApplication.translate("MainWindow", u"F9", None))
#endif // QT_CONFIG(shortcut)
        self.actionQuit.setText(QCoreApplication.translate("MainWindow", u"\u9000\u51fa", None))
#if QT_CONFIG(shortcut)
        self.actionQuit.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+Q", None))
#endif // QT_CONFIG(shortcut)
        self.actionFocusSearch.setText(QCoreApplication.translate("MainWindow", u"\u641c\u7d22\u4e8b\u9879", None))
#if QT_CONFIG(shortcut)
        self.actionFocusSearch.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+F", None))
#endif // QT_CONFIG(shortcut)
        self.actionStartIntake.setText(QCoreApplication.translate("MainWindow", u"\u5f00\u59cb\u53d7\u7406\u6240\u9009\u4e8b\u9879", None))
#if QT_CONFIG(shortcut)
        self.actionStartIntake.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+N", None))
#endif // QT_CONFIG(shortcut)
        self.actionIntakeByCode.setText(QCoreApplication.translate("MainWindow", u"\u6309\u4e8b\u9879\u7f16\u7801\u53d7\u7406\u2026", None))
#if QT_CONFIG(shortcut)
        self.actionIntakeByCode.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+Shift+N", None))
#endif // QT_CONFIG(shortcut)
        self.actionPrintCase.setText(QCoreApplication.translate("MainWindow", u"\u6253\u5370/\u8865\u6253\u6240\u9009\u529e\u4ef6\u6587\u4e66\u2026", None))
#if QT_CONFIG(shortcut)
        self.actionPrintCase.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+Shift+P", None))
#endif // QT_CONFIG(shortcut)
        self.actionWindowSettings.setText(QCoreApplication.translate("MainWindow", u"\u7a97\u53e3\u8bbe\u7f6e\u2026", None))
#if QT_CONFIG(shortcut)
        self.actionWindowSettings.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+,", None))
#endif // QT_CONFIG(shortcut)
        self.actionShortcuts.setText(QCoreApplication.translate("MainWindow", u"\u5feb\u6377\u952e\u4e00\u89c8", None))
#if QT_CONFIG(shortcut)
        self.actionShortcuts.setShortcut(QCoreApplication.translate("MainWindow", u"Shift+F1", None))
#endif // QT_CONFIG(shortcut)
        self.actionLock.setText(QCoreApplication.translate("MainWindow", u"\u9501\u5c4f", None))
#if QT_CONFIG(shortcut)
        self.actionLock.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+L", None))
#endif // QT_CONFIG(shortcut)
        self.actionSwitchUser.setText(QCoreApplication.translate("MainWindow", u"\u5207\u6362\u7528\u6237\uff08\u4ea4\u73ed\uff09\u2026", None))
#if QT_CONFIG(shortcut)
        self.actionSwitchUser.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+Shift+L", None))
#endif // QT_CONFIG(shortcut)
        self.actionAbout.setText(QCoreApplication.translate("MainWindow", u"\u5173\u4e8e hallclient", None))
        self.searchEdit.setPlaceholderText(QCoreApplication.translate("MainWindow", u"\u641c\u7d22\u4e8b\u9879\uff1a\u540d\u79f0\u3001\u62fc\u97f3\u9996\u5b57\u6bcd\uff08spjy\uff09\u3001\u5168\u62fc\u6216\u7f16\u7801\u3000Ctrl+F", None))
        self.resultCountLabel.setText("")
        self.bundleLabel.setText(QCoreApplication.translate("MainWindow", u"\u4e00\u4ef6\u4e8b\uff08\u5957\u9910\uff09", None))
        self.itemTitle.setText(QCoreApplication.translate("MainWindow", u"\u8bf7\u9009\u62e9\u4e8b\u9879", None))
        self.startIntakeButton.setText(QCoreApplication.translate("MainWindow", u"\u5f00\u59cb\u53d7\u7406 (Ctrl+N)", None))
        self.codeCaption.setText(QCoreApplication.translate("MainWindow", u"\u5b9e\u65bd\u7f16\u7801", None))
        self.typeCaption.setText(QCoreApplication.translate("MainWindow", u"\u4e8b\u9879\u7c7b\u578b", None))
        self.departmentCaption.setText(QCoreApplication.translate("MainWindow", u"\u5b9e\u65bd\u4e3b\u4f53", None))
        self.categoryCaption.setText(QCoreApplication.translate("MainWindow", u"\u7a97\u53e3\u7c7b\u522b", None))
        self.limitsCaption.setText(QCoreApplication.translate("MainWindow", u"\u529e\u7ed3\u65f6\u9650", None))
        self.feeCaption.setText(QCoreApplication.translate("MainWindow", u"\u6536\u8d39", None))
        self.flagsCaption.setText(QCoreApplication.translate("MainWindow", u"\u53d7\u7406\u65b9\u5f0f", None))
        self.conditionsCaption.setText(QCoreApplication.translate("MainWindow", u"\u53d7\u7406\u6761\u4ef6", None))
        self.basisCaption.setText(QCoreApplication.translate("MainWindow", u"\u8bbe\u5b9a\u4f9d\u636e", None))
        self.materialsCaption.setText(QCoreApplication.translate("MainWindow", u"\u7533\u8bf7\u6750\u6599", None))
        self.mainTabs.setTabText(self.mainTabs.indexOf(self.catalogTab), QCoreApplication.translate("MainWindow", u"\u4e8b\u9879\u6e05\u5355", None))
        self.menuFile.setTitle(QCoreApplication.translate("MainWindow", u"\u6587\u4ef6(&F)", None))
        self.menuCase.setTitle(QCoreApplication.translate("MainWindow", u"\u529e\u4ef6(&C)", None))
        self.menuSettings.setTitle(QCoreApplication.translate("MainWindow", u"\u8bbe\u7f6e(&S)", None))
        self.menuAccount.setTitle(QCoreApplication.translate("MainWindow", u"\u8d26\u6237(&A)", None))
        self.menuHelp.setTitle(QCoreApplication.translate("MainWindow", u"\u5e2e\u52a9(&H)", None))
    # retranslateUi

